package mmcorej;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Stand-in for MMCoreJ's SWIG-generated {@code std::vector<std::string>} wrapper: the members Micro-Manager code uses,
 * with the same names and signatures ({@code size()} and {@code capacity()} are {@code long}, indices {@code int}).
 */
public class StrVector implements Iterable<String> {
   private final List<String> items_ = new ArrayList<String>();

   public StrVector() {
   }

   public StrVector(long n) {
      for (long i = 0; i < n; i++) {
         items_.add("");
      }
   }

   public long size() {
      return items_.size();
   }

   public long capacity() {
      return items_.size();
   }

   public void reserve(long n) {
   }

   public boolean isEmpty() {
      return items_.isEmpty();
   }

   public void clear() {
      items_.clear();
   }

   public void add(String x) {
      items_.add(x);
   }

   public String get(int i) {
      if (i < 0 || i >= items_.size()) {
         throw new IndexOutOfBoundsException("vector index out of range");
      }
      return items_.get(i);
   }

   public void set(int i, String val) {
      if (i < 0 || i >= items_.size()) {
         throw new IndexOutOfBoundsException("vector index out of range");
      }
      items_.set(i, val);
   }

   public synchronized void delete() {
   }

   /** MMCoreJ adds this to the SWIG class (MMCoreJ.i's javacode for vector&lt;string&gt;). */
   public String[] toArray() {
      return items_.toArray(new String[0]);
   }

   public Iterator<String> iterator() {
      return items_.iterator();
   }

   static StrVector of(Iterable<String> values) {
      StrVector v = new StrVector();
      for (String s : values) {
         v.add(s);
      }
      return v;
   }
}
