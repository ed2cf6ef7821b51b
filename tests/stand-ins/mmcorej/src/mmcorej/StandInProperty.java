package mmcorej;

import java.util.ArrayList;
import java.util.List;

/** One device property of the stand-in: text value, optional allowed values or numeric limits, read-only flag. */
final class StandInProperty {
   final String name;
   final boolean readOnly;
   final boolean numeric;
   final List<String> allowed = new ArrayList<String>();
   boolean hasLimits;
   double lower;
   double upper;
   String value;

   StandInProperty(String name, String value, boolean numeric, boolean readOnly) {
      this.name = name;
      this.value = value;
      this.numeric = numeric;
      this.readOnly = readOnly;
   }

   StandInProperty allow(String... values) {
      for (String v : values) {
         allowed.add(v);
      }
      return this;
   }

   StandInProperty limits(double lo, double hi) {
      hasLimits = true;
      lower = lo;
      upper = hi;
      return this;
   }
}
