package mmcorej;

/** DemoCamera's {@code DHub}: present so Micro-Manager's own demo configurations load; does nothing. */
final class StandInHub extends StandInDevice {
   StandInHub(String label) {
      super(label, "DemoCamera", "DHub", "DemoHub");
   }
}
