package mmcorej;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Stand-in for MMCoreJ's {@code Metadata}: the tags the core attaches to an image ({@code ImageNumber},
 * {@code ElapsedTime-ms}, {@code Camera}, ...), keyed by qualified name.
 */
public class Metadata {
   private final Map<String, MetadataSingleTag> tags_ = new LinkedHashMap<String, MetadataSingleTag>();

   public Metadata() {
   }

   public void Clear() {
      tags_.clear();
   }

   public StrVector GetKeys() {
      return StrVector.of(tags_.keySet());
   }

   public boolean HasTag(String key) {
      return tags_.containsKey(key);
   }

   public MetadataSingleTag GetSingleTag(String key) throws java.lang.Exception {
      MetadataSingleTag tag = tags_.get(key);
      if (tag == null) {
         throw new java.lang.Exception("Undefined metadata key: " + key);
      }
      MetadataSingleTag copy = new MetadataSingleTag(tag.GetName(), tag.GetDevice(), tag.IsReadOnly());
      copy.SetValue(tag.GetValue());
      return copy;
   }

   public void RemoveTag(String key) {
      tags_.remove(key);
   }

   public void PutTag(String key, String deviceLabel, String value) {
      MetadataSingleTag tag = new MetadataSingleTag(key, deviceLabel, true);
      tag.SetValue(value);
      tags_.put(tag.GetQualifiedName(), tag);
   }

   public synchronized void delete() {
   }

   void copyFrom(Map<String, String> coreTags) {
      tags_.clear();
      for (Map.Entry<String, String> e : coreTags.entrySet()) {
         PutTag(e.getKey(), "_", e.getValue());
      }
   }
}
