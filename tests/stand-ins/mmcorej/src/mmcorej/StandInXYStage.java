package mmcorej;

/** DemoCamera's {@code DXYStage}: travel 0 to 20000 um on both axes; like the real one it has no position properties. */
final class StandInXYStage extends StandInDevice {
   static final double LOWER = 0.0;
   static final double UPPER = 20000.0;
   private double x_;
   private double y_;

   StandInXYStage(String label) {
      super(label, "DemoCamera", "DXYStage", "Demo XY stage driver");
   }

   double x() {
      return x_;
   }

   double y() {
      return y_;
   }

   void move(double x, double y) throws java.lang.Exception {
      if (Double.isNaN(x) || Double.isNaN(y) || x < LOWER || x > UPPER || y < LOWER || y > UPPER) {
         throw error("Position (" + x + ", " + y + ") um is out of range (" + LOWER + " to " + UPPER
               + " um on both axes)");
      }
      x_ = x;
      y_ = y;
   }
}
