package mmcorej;

/** Stand-in for MMCoreJ's {@code MetadataTag}: a named tag of a device ({@code "_"} for the core). */
public class MetadataTag {
   private String name_;
   private String device_;
   private boolean readOnly_;

   protected MetadataTag(String name, String device, boolean readOnly) {
      name_ = name;
      device_ = device;
      readOnly_ = readOnly;
   }

   public String GetDevice() {
      return device_;
   }

   public String GetName() {
      return name_;
   }

   public String GetQualifiedName() {
      return "_".equals(device_) ? name_ : device_ + "-" + name_;
   }

   public boolean IsReadOnly() {
      return readOnly_;
   }

   public synchronized void delete() {
   }
}
