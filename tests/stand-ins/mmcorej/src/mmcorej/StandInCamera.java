package mmcorej;

/**
 * DemoCamera's {@code DCam} as the tests need it: a sensor of OnCameraCCDXSize x OnCameraCCDYSize pixels (512 x 512
 * unless configured), 8- or 16-bit, binning 1/2/4/8, an ROI in binned pixels, and images whose pixels encode the
 * frame number: the pixel at sensor position (x, y) of frame n is {@code (n + x + 4 y) mod 2^bitDepth}, where
 * n counts snaps (for snapImage) or the frames of the current sequence from 0.
 *
 * Test hooks (not in the real DemoCamera): {@code FailAfterImages} = k > 0 ends a sequence after k frames the way a
 * failing device does (the acquisition thread stops; the core keeps the frames already buffered).
 */
final class StandInCamera extends StandInDevice {
   private final CMMCore core_;
   private int binning_ = 1;
   private int roiX_;
   private int roiY_;
   private int roiW_;
   private int roiH_;
   private long snapCounter_;
   private Object snapped_;
   private volatile SequenceThread sequence_;

   StandInCamera(CMMCore core, String label) {
      super(label, "DemoCamera", "DCam", "Demo Camera Device Adapter");
      core_ = core;
      add(new StandInProperty("CameraName", "DemoCamera-MultiMode", false, true));
      add(new StandInProperty("Binning", "1", true, false).allow("1", "2", "4", "8"));
      add(new StandInProperty("PixelType", "16bit", false, false).allow("8bit", "16bit"));
      add(new StandInProperty("BitDepth", "16", true, false).allow("8", "10", "12", "14", "16"));
      add(new StandInProperty("Exposure", "10.0000", true, false).limits(0.0, 10000.0));
      add(new StandInProperty("OnCameraCCDXSize", "512", true, false).limits(16, 8192));
      add(new StandInProperty("OnCameraCCDYSize", "512", true, false).limits(16, 8192));
      add(new StandInProperty("FastImage", "0", true, false).allow("0", "1"));
      add(new StandInProperty("FailAfterImages", "0", true, false).limits(0, 1e9));
      clearRoi();
   }

   int sensorWidth() {
      return Integer.parseInt(properties.get("OnCameraCCDXSize").value);
   }

   int sensorHeight() {
      return Integer.parseInt(properties.get("OnCameraCCDYSize").value);
   }

   int bytesPerPixel() {
      return properties.get("PixelType").value.equals("8bit") ? 1 : 2;
   }

   int bitDepth() {
      return Integer.parseInt(properties.get("BitDepth").value);
   }

   int width() {
      return roiW_;
   }

   int height() {
      return roiH_;
   }

   int[] roi() {
      return new int[] {roiX_, roiY_, roiW_, roiH_};
   }

   double exposureMs() {
      return Double.parseDouble(properties.get("Exposure").value);
   }

   boolean isCapturing() {
      SequenceThread s = sequence_;
      return s != null && s.isAlive();
   }

   @Override
   void beforeSet(String name, String value) throws java.lang.Exception {
      boolean geometry = name.equals("Binning") || name.equals("PixelType") || name.equals("OnCameraCCDXSize")
            || name.equals("OnCameraCCDYSize") || name.equals("BitDepth");
      if (geometry && isCapturing()) {
         throw error("Camera busy acquiring");
      }
      if (name.equals("BitDepth") && bytesPerPixel() == 1 && !value.equals("8")) {
         throw error("Invalid property value \"" + value + "\" for property BitDepth (8bit pixels have 8 bits)");
      }
   }

   @Override
   void afterSet(String name, String value) throws java.lang.Exception {
      if (name.equals("Binning")) {
         binning_ = Integer.parseInt(value);
         clearRoi();
      } else if (name.equals("OnCameraCCDXSize") || name.equals("OnCameraCCDYSize")) {
         properties.get(name).value = Integer.toString((int) Double.parseDouble(value));
         clearRoi();
      } else if (name.equals("PixelType")) {
         properties.get("BitDepth").value = value.equals("8bit") ? "8" : "16";
      } else if (name.equals("Exposure")) {
         properties.get(name).value = String.format(java.util.Locale.ROOT, "%.4f", Double.parseDouble(value));
      }
   }

   void clearRoi() {
      roiX_ = 0;
      roiY_ = 0;
      roiW_ = sensorWidth() / binning_;
      roiH_ = sensorHeight() / binning_;
   }

   void setRoi(int x, int y, int w, int h) throws java.lang.Exception {
      int maxW = sensorWidth() / binning_;
      int maxH = sensorHeight() / binning_;
      if (w <= 0 || h <= 0 || x < 0 || y < 0 || x + w > maxW || y + h > maxH) {
         throw error("Invalid ROI " + x + "," + y + "," + w + "," + h + " (the image is " + maxW + " x " + maxH
               + " pixels at binning " + binning_ + ")");
      }
      roiX_ = x;
      roiY_ = y;
      roiW_ = w;
      roiH_ = h;
   }

   Object snap() throws java.lang.Exception {
      sleepMs(exposureMs());
      Object image = newImage();
      render(snapCounter_++, image);
      snapped_ = image;
      return image;
   }

   Object snapped() {
      return snapped_;
   }

   void startSequence(long count, boolean stopOnOverflow, StandInCircularBuffer buffer) {
      SequenceThread t = new SequenceThread(count, buffer);
      sequence_ = t;
      t.start();
   }

   void stopSequence() {
      SequenceThread t = sequence_;
      if (t != null) {
         t.stopRequested = true;
         try {
            t.join();
         } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
         }
      }
   }

   @Override
   void shutdown() {
      stopSequence();
      super.shutdown();
   }

   private Object newImage() {
      int n = roiW_ * roiH_;
      return bytesPerPixel() == 1 ? (Object) new byte[n] : (Object) new short[n];
   }

   /** Writes frame {@code n} into {@code image}: pixel (x, y) of the sensor holds (n + x + 4 y) mod 2^bitDepth. */
   private void render(long n, Object image) {
      int mask = (1 << bitDepth()) - 1;
      int w = roiW_;
      int h = roiH_;
      int b = binning_;
      int base = (int) (n & 0x7fffffff);
      if (image instanceof short[]) {
         short[] px = (short[]) image;
         for (int j = 0; j < h; j++) {
            int row = base + 4 * (roiY_ + j) * b + roiX_ * b;
            int o = j * w;
            for (int i = 0; i < w; i++) {
               px[o + i] = (short) ((row + i * b) & mask);
            }
         }
      } else {
         byte[] px = (byte[]) image;
         for (int j = 0; j < h; j++) {
            int row = base + 4 * (roiY_ + j) * b + roiX_ * b;
            int o = j * w;
            for (int i = 0; i < w; i++) {
               px[o + i] = (byte) ((row + i * b) & mask);
            }
         }
      }
   }

   private static void sleepMs(double ms) throws InterruptedException {
      if (ms > 0) {
         long nanos = (long) (ms * 1e6);
         Thread.sleep(nanos / 1000000, (int) (nanos % 1000000));
      }
   }

   /** The camera's acquisition thread: renders, paces to the exposure, and inserts into the core's buffer. */
   private final class SequenceThread extends Thread {
      private final long count_;
      private final StandInCircularBuffer buffer_;
      private final long failAfter_;
      private final boolean fast_;
      private final double exposureMs_;
      volatile boolean stopRequested;

      SequenceThread(long count, StandInCircularBuffer buffer) {
         super("DemoCamera sequence " + label);
         setDaemon(true);
         count_ = count;
         buffer_ = buffer;
         failAfter_ = (long) Double.parseDouble(properties.get("FailAfterImages").value);
         fast_ = properties.get("FastImage").value.equals("1");
         exposureMs_ = exposureMs();
      }

      @Override
      public void run() {
         Object image = newImage();
         long start = System.nanoTime();
         for (long n = 0; n < count_ && !stopRequested; n++) {
            if (failAfter_ > 0 && n >= failAfter_) {
               // A device error ends the acquisition thread; MMCore logs it and the sequence is no longer running.
               return;
            }
            if (exposureMs_ > 0) {
               long due = start + (long) ((n + 1) * exposureMs_ * 1e6);
               long wait;
               while ((wait = due - System.nanoTime()) > 0 && !stopRequested) {
                  java.util.concurrent.locks.LockSupport.parkNanos(wait);
               }
               if (stopRequested) {
                  return;
               }
            }
            if (!fast_ || n == 0) {
               render(n, image);
            }
            double elapsed = (System.nanoTime() - start) / 1e6;
            if (!buffer_.insert(image, n, elapsed)) {
               // Overflow with stopOnOverflow: the camera stops, as CCameraBase does on DEVICE_BUFFER_OVERFLOW.
               return;
            }
         }
      }
   }
}
