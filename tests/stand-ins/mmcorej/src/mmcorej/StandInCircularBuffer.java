package mmcorej;

/**
 * The core's circular buffer as MMCore runs it: a fixed number of frame slots sized from the memory footprint; in
 * overwrite mode (sequence started with stopOnOverflow = false) a full buffer is cleared and the new frame inserted,
 * otherwise the insert fails and the overflow flag stays set until the buffer is cleared.
 */
final class StandInCircularBuffer {
   private Object[] slots_ = new Object[0];
   private long[] imageNumbers_ = new long[0];
   private double[] elapsedMs_ = new double[0];
   private String cameraLabel_ = "";
   private int width_;
   private int height_;
   private int bytesPerPixel_;
   private long insertIndex_;
   private long saveIndex_;
   private boolean overflow_;
   private boolean overwrite_;

   synchronized boolean initialize(int width, int height, int bytesPerPixel, long footprintMB, String cameraLabel) {
      long frameBytes = (long) width * height * bytesPerPixel;
      long capacity = footprintMB * 1024L * 1024L / frameBytes;
      if (capacity < 1) {
         return false;
      }
      capacity = Math.min(capacity, 100000);
      if (width != width_ || height != height_ || bytesPerPixel != bytesPerPixel_ || capacity != slots_.length) {
         slots_ = new Object[(int) capacity];
         imageNumbers_ = new long[(int) capacity];
         elapsedMs_ = new double[(int) capacity];
      }
      width_ = width;
      height_ = height;
      bytesPerPixel_ = bytesPerPixel;
      cameraLabel_ = cameraLabel;
      clearLocked();
      return true;
   }

   synchronized void setOverwrite(boolean overwrite) {
      overwrite_ = overwrite;
   }

   synchronized void clear() {
      clearLocked();
   }

   private void clearLocked() {
      insertIndex_ = 0;
      saveIndex_ = 0;
      overflow_ = false;
   }

   synchronized int capacity() {
      return slots_.length;
   }

   synchronized int remaining() {
      return (int) (insertIndex_ - saveIndex_);
   }

   synchronized int free() {
      return slots_.length - remaining();
   }

   synchronized boolean overflowed() {
      return overflow_;
   }

   /** Copies {@code pixels} (a byte[] or short[] of the buffer's frame size) into the next slot. */
   synchronized boolean insert(Object pixels, long imageNumber, double elapsedMs) {
      if (overflow_) {
         return false;
      }
      if (insertIndex_ - saveIndex_ >= slots_.length) {
         if (overwrite_) {
            clearLocked();
         } else {
            overflow_ = true;
            return false;
         }
      }
      int slot = (int) (insertIndex_ % slots_.length);
      int n = width_ * height_;
      if (slots_[slot] == null) {
         slots_[slot] = bytesPerPixel_ == 1 ? (Object) new byte[n] : (Object) new short[n];
      }
      System.arraycopy(pixels, 0, slots_[slot], 0, n);
      imageNumbers_[slot] = imageNumber;
      elapsedMs_[slot] = elapsedMs;
      insertIndex_++;
      return true;
   }

   /** Removes the oldest frame: a new array (as MMCoreJ's typemap makes one per call) and its tags in {@code md}. */
   synchronized Object pop(Metadata md) throws java.lang.Exception {
      if (insertIndex_ == saveIndex_) {
         throw new java.lang.Exception("Circular buffer is empty.");
      }
      int slot = (int) (saveIndex_ % slots_.length);
      saveIndex_++;
      if (md != null) {
         md.Clear();
         md.PutTag("Camera", "_", cameraLabel_);
         md.PutTag("ImageNumber", "_", Long.toString(imageNumbers_[slot]));
         md.PutTag("ElapsedTime-ms", "_", Double.toString(elapsedMs_[slot]));
         md.PutTag("Width", "_", Integer.toString(width_));
         md.PutTag("Height", "_", Integer.toString(height_));
         md.PutTag("PixelType", "_", bytesPerPixel_ == 1 ? "GRAY8" : "GRAY16");
      }
      return copy(slots_[slot]);
   }

   synchronized Object last() throws java.lang.Exception {
      if (insertIndex_ == saveIndex_) {
         throw new java.lang.Exception("Circular buffer is empty.");
      }
      return copy(slots_[(int) ((insertIndex_ - 1) % slots_.length)]);
   }

   private Object copy(Object source) {
      if (source instanceof short[]) {
         short[] s = (short[]) source;
         short[] d = new short[s.length];
         System.arraycopy(s, 0, d, 0, s.length);
         return d;
      }
      byte[] b = (byte[]) source;
      byte[] d = new byte[b.length];
      System.arraycopy(b, 0, d, 0, b.length);
      return d;
   }
}
