package mmcorej;

/** DemoCamera's {@code DStage}: a focus (z) drive whose {@code Position} property has limits of -300 to 300 um. */
final class StandInStage extends StandInDevice {
   static final double LOWER = -300.0;
   static final double UPPER = 300.0;
   private double position_;

   StandInStage(String label) {
      super(label, "DemoCamera", "DStage", "Demo stage driver");
      add(new StandInProperty("Position", "0.0000", true, false).limits(LOWER, UPPER));
      add(new StandInProperty("UseSequences", "No", false, false).allow("No", "Yes"));
   }

   double position() {
      return position_;
   }

   void move(double um) throws java.lang.Exception {
      if (Double.isNaN(um) || um < LOWER || um > UPPER) {
         throw error("Position " + um + " um is out of range (" + LOWER + " to " + UPPER + " um)");
      }
      position_ = um;
      properties.get("Position").value = String.format(java.util.Locale.ROOT, "%.4f", um);
   }

   @Override
   void afterSet(String name, String value) throws java.lang.Exception {
      if (name.equals("Position")) {
         move(Double.parseDouble(value));
      }
   }
}
