package mmcorej;

/** Stand-in for MMCoreJ's {@code MetadataSingleTag}: one text value. */
public class MetadataSingleTag extends MetadataTag {
   private String value_;

   public MetadataSingleTag() {
      this("undefined", "undefined", false);
   }

   public MetadataSingleTag(String name, String device, boolean readOnly) {
      super(name, device, readOnly);
      value_ = "";
   }

   public String GetValue() {
      return value_;
   }

   public void SetValue(String val) {
      value_ = val;
   }
}
