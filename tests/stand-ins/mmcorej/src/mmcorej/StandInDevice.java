package mmcorej;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A device of the stand-in's simulated DemoCamera adapter. Errors are worded as MMCore words them
 * ({@code Error in device "<label>": ...}).
 */
abstract class StandInDevice {
   final String label;
   final String library;
   final String deviceName;
   final Map<String, StandInProperty> properties = new LinkedHashMap<String, StandInProperty>();
   boolean initialized;

   StandInDevice(String label, String library, String deviceName, String description) {
      this.label = label;
      this.library = library;
      this.deviceName = deviceName;
      add(new StandInProperty("Name", deviceName, false, true));
      add(new StandInProperty("Description", description, false, true));
   }

   final StandInProperty add(StandInProperty p) {
      properties.put(p.name, p);
      return p;
   }

   String description() {
      return properties.get("Description").value;
   }

   void initialize() throws java.lang.Exception {
      initialized = true;
   }

   void shutdown() {
      initialized = false;
   }

   StandInProperty property(String name) throws java.lang.Exception {
      StandInProperty p = properties.get(name);
      if (p == null) {
         throw new java.lang.Exception("Property " + name + " not found in device " + label + ".");
      }
      return p;
   }

   String get(String name) throws java.lang.Exception {
      return property(name).value;
   }

   void set(String name, String value) throws java.lang.Exception {
      StandInProperty p = property(name);
      if (p.readOnly) {
         throw error("Property " + name + " is read-only");
      }
      String normalized = value;
      if (!p.allowed.isEmpty() && !p.allowed.contains(value)) {
         throw error("Invalid property value \"" + value + "\" for property " + name + " (allowed: "
               + String.join(", ", p.allowed) + ")");
      }
      if (p.numeric) {
         double d;
         try {
            d = Double.parseDouble(value.trim());
         } catch (NumberFormatException e) {
            throw error("Invalid property value \"" + value + "\" for property " + name + " (expected a number)");
         }
         if (p.hasLimits && (d < p.lower || d > p.upper)) {
            throw error("Invalid property value \"" + value + "\" for property " + name + " (limits " + p.lower
                  + " to " + p.upper + ")");
         }
      }
      beforeSet(name, normalized);
      p.value = normalized;
      afterSet(name, normalized);
   }

   /** Validates a change before it is made (may throw); override for properties with side effects. */
   void beforeSet(String name, String value) throws java.lang.Exception {
   }

   void afterSet(String name, String value) throws java.lang.Exception {
   }

   final java.lang.Exception error(String text) {
      return new java.lang.Exception("Error in device \"" + label + "\": " + text);
   }
}
