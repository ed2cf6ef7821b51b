package mmcorej;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for Micro-Manager's {@code mmcorej.CMMCore} (MMCoreJ.jar) for tests on machines without a Micro-Manager
 * install. Package, class, method names and Java signatures are MMCoreJ's (SWIG's mapping of MMCore.h: C++
 * {@code long} is Java {@code int}, {@code unsigned} is {@code long}, {@code std::vector<std::string>} is
 * {@link StrVector}, errors are {@code java.lang.Exception} carrying the core's message).
 *
 * It simulates the DemoCamera adapter's {@code DCam}, {@code DStage}, {@code DXYStage} (and {@code DHub}). Device
 * adapters are looked up as MMCore does: {@code libmmgr_dal_<Module>.so.0} (Linux), {@code libmmgr_dal_<Module>}
 * (macOS) or {@code mmgr_dal_<Module>.dll} (Windows) in the device adapter search paths, which default to the
 * {@code mmcorej.library.path} folder (where a real install keeps both the core and its adapters). Only the
 * DemoCamera module can be "loaded"; the adapter file must exist but its contents are not read.
 */
public class CMMCore {
   private final Map<String, StandInDevice> devices_ = new LinkedHashMap<String, StandInDevice>();
   private final List<String> searchPaths_ = new ArrayList<String>();
   private final StandInCircularBuffer buffer_ = new StandInCircularBuffer();
   private String camera_ = "";
   private String focus_ = "";
   private String xyStage_ = "";
   private long footprintMB_ = 250;

   public CMMCore() {
      String corePath = System.getProperty("mmcorej.library.path");
      if (corePath != null && corePath.length() > 0) {
         searchPaths_.add(corePath);
      }
   }

   public static void noop() {
   }

   public synchronized void delete() {
      try {
         unloadAllDevices();
      } catch (java.lang.Exception e) {
         // delete() cannot fail
      }
   }

   public String getVersionInfo() {
      return "MMCore version 11.5.0 (Navigate test stand-in)";
   }

   public String getAPIVersionInfo() {
      return "Device API version 73, Module API version 10";
   }

   // ---- Device adapters and configuration ----

   public synchronized void setDeviceAdapterSearchPaths(StrVector paths) {
      searchPaths_.clear();
      for (String p : paths) {
         searchPaths_.add(p);
      }
   }

   public synchronized StrVector getDeviceAdapterSearchPaths() {
      return StrVector.of(searchPaths_);
   }

   public synchronized void loadSystemConfiguration(String fileName) throws java.lang.Exception {
      if (fileName == null) {
         throw new java.lang.Exception("Null filename");
      }
      File file = new File(fileName);
      if (!file.isFile()) {
         throw new java.lang.Exception("\"" + fileName + "\": File open failed.");
      }
      try {
         int lineNumber = 0;
         try (BufferedReader r = new BufferedReader(
               new InputStreamReader(new FileInputStream(file), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
               lineNumber++;
               if (line.endsWith("\r")) {
                  line = line.substring(0, line.length() - 1);
               }
               if (line.isEmpty() || line.startsWith("#")) {
                  continue;
               }
               try {
                  applyConfigurationLine(line);
               } catch (java.lang.Exception e) {
                  throw new java.lang.Exception("Line " + lineNumber + ": " + line + "\n" + e.getMessage() + "\n\n");
               }
            }
         }
         waitForSystem();
      } catch (java.lang.Exception e) {
         // MMCore unloads everything when a configuration fails to load, so the core is left empty.
         unloadAllDevices();
         if (e instanceof java.io.IOException) {
            throw new java.lang.Exception("\"" + fileName + "\": File open failed.");
         }
         throw e;
      }
   }

   private void applyConfigurationLine(String line) throws java.lang.Exception {
      String[] t = line.split(",", -1);
      String invalid = "Invalid configuration file line encountered. Wrong number of tokens for the current "
            + "context. (\"" + line + "\")";
      switch (t[0]) {
         case "Device":
            if (t.length != 4) {
               throw new java.lang.Exception(invalid);
            }
            loadDevice(t[1], t[2], t[3]);
            break;
         case "Property":
            if (t.length == 4) {
               setProperty(t[1], t[2], t[3]);
            } else if (t.length == 3) {
               setProperty(t[1], t[2], "");
            } else {
               throw new java.lang.Exception(invalid);
            }
            break;
         case "Equipment":
         case "ImageSynchro":
            throw new java.lang.Exception(invalid);
         default:
            // Parent, Delay, FocusDirection, Label, ConfigGroup, ConfigPixelSize, PixelSize_um, ... are accepted
            // and have no effect on the simulated devices; unknown commands are ignored, as MMCore does.
            break;
      }
   }

   public synchronized void loadDevice(String label, String moduleName, String deviceName) throws java.lang.Exception {
      if (label == null || label.isEmpty()) {
         throw new java.lang.Exception("Empty device label");
      }
      if (devices_.containsKey(label) || label.equals("Core")) {
         throw new java.lang.Exception("The specified device label " + label + " is already in use");
      }
      String file = findAdapter(moduleName);
      if (file == null || !moduleName.equals("DemoCamera")) {
         String name = adapterFileName(moduleName);
         String reason = file == null
               ? name + ": cannot open shared object file: No such file or directory"
               : file + ": not a Micro-Manager device adapter this core can load";
         throw new java.lang.Exception("Failed to load device adapter \"" + moduleName + "\" from \""
               + (file == null ? name : file) + "\" [ Failed to load module \"" + (file == null ? name : file)
               + "\" [ " + reason + " ] ]");
      }
      StandInDevice device;
      switch (deviceName) {
         case "DCam":
            device = new StandInCamera(this, label);
            break;
         case "DStage":
            device = new StandInStage(label);
            break;
         case "DXYStage":
            device = new StandInXYStage(label);
            break;
         case "DHub":
            device = new StandInHub(label);
            break;
         default:
            throw new java.lang.Exception("Failed to instantiate device \"" + deviceName
                  + "\" from adapter module \"" + moduleName + "\"");
      }
      devices_.put(label, device);
   }

   private static String adapterFileName(String module) {
      String os = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT);
      if (os.contains("win")) {
         return "mmgr_dal_" + module + ".dll";
      }
      return os.contains("mac") ? "libmmgr_dal_" + module : "libmmgr_dal_" + module + ".so.0";
   }

   private String findAdapter(String module) {
      String name = adapterFileName(module);
      for (String dir : searchPaths_) {
         File f = new File(dir, name);
         if (f.isFile()) {
            return f.getPath();
         }
      }
      return null;
   }

   public synchronized void initializeAllDevices() throws java.lang.Exception {
      for (StandInDevice d : devices_.values()) {
         d.initialize();
      }
      for (StandInDevice d : devices_.values()) {
         assignDefaultRole(d);
      }
   }

   private void assignDefaultRole(StandInDevice d) {
      if (d instanceof StandInCamera && camera_.isEmpty()) {
         camera_ = d.label;
      } else if (d instanceof StandInStage && focus_.isEmpty()) {
         focus_ = d.label;
      } else if (d instanceof StandInXYStage && xyStage_.isEmpty()) {
         xyStage_ = d.label;
      }
   }

   public synchronized void unloadAllDevices() throws java.lang.Exception {
      for (StandInDevice d : devices_.values()) {
         d.shutdown();
      }
      devices_.clear();
      camera_ = "";
      focus_ = "";
      xyStage_ = "";
      buffer_.clear();
   }

   public synchronized void reset() throws java.lang.Exception {
      unloadAllDevices();
   }

   public synchronized void waitForSystem() throws java.lang.Exception {
   }

   public synchronized void waitForDevice(String label) throws java.lang.Exception {
      device(label);
   }

   public synchronized boolean deviceBusy(String label) throws java.lang.Exception {
      device(label);
      return false;
   }

   public synchronized StrVector getLoadedDevices() {
      List<String> labels = new ArrayList<String>(devices_.keySet());
      labels.add("Core");
      return StrVector.of(labels);
   }

   public synchronized String getDeviceLibrary(String label) throws java.lang.Exception {
      return label.equals("Core") ? "" : device(label).library;
   }

   public synchronized String getDeviceName(String label) throws java.lang.Exception {
      return label.equals("Core") ? "Core" : device(label).deviceName;
   }

   public synchronized String getDeviceDescription(String label) throws java.lang.Exception {
      return label.equals("Core") ? "Core device" : device(label).description();
   }

   private StandInDevice device(String label) throws java.lang.Exception {
      StandInDevice d = label == null ? null : devices_.get(label);
      if (d == null) {
         throw new java.lang.Exception("No device with label \"" + label + "\"");
      }
      return d;
   }

   // ---- Properties ----

   private static final String[] CORE_PROPERTIES = {"Camera", "Focus", "XYStage", "Initialize"};

   public synchronized StrVector getDevicePropertyNames(String label) throws java.lang.Exception {
      if ("Core".equals(label)) {
         return StrVector.of(java.util.Arrays.asList(CORE_PROPERTIES));
      }
      return StrVector.of(device(label).properties.keySet());
   }

   public synchronized boolean hasProperty(String label, String propName) throws java.lang.Exception {
      if ("Core".equals(label)) {
         return java.util.Arrays.asList(CORE_PROPERTIES).contains(propName);
      }
      return device(label).properties.containsKey(propName);
   }

   public synchronized String getProperty(String label, String propName) throws java.lang.Exception {
      if ("Core".equals(label)) {
         switch (propName) {
            case "Camera":
               return camera_;
            case "Focus":
               return focus_;
            case "XYStage":
               return xyStage_;
            case "Initialize":
               return devices_.isEmpty() ? "0" : "1";
            default:
               throw new java.lang.Exception("Unrecognized core property. (\"" + propName + "\")");
         }
      }
      return device(label).get(propName);
   }

   public synchronized void setProperty(String label, String propName, String propValue) throws java.lang.Exception {
      if ("Core".equals(label)) {
         switch (propName) {
            case "Camera":
               setCameraDevice(propValue);
               return;
            case "Focus":
               setFocusDevice(propValue);
               return;
            case "XYStage":
               setXYStageDevice(propValue);
               return;
            case "Initialize":
               if (propValue.equals("1")) {
                  initializeAllDevices();
               } else if (propValue.equals("0")) {
                  unloadAllDevices();
               } else {
                  throw new java.lang.Exception("Invalid value for Core property Initialize: " + propValue);
               }
               return;
            default:
               throw new java.lang.Exception("Unrecognized core property. (\"" + propName + "\")");
         }
      }
      device(label).set(propName, propValue);
   }

   public void setProperty(String label, String propName, boolean propValue) throws java.lang.Exception {
      setProperty(label, propName, propValue ? "1" : "0");
   }

   public void setProperty(String label, String propName, int propValue) throws java.lang.Exception {
      setProperty(label, propName, Integer.toString(propValue));
   }

   public void setProperty(String label, String propName, float propValue) throws java.lang.Exception {
      setProperty(label, propName, Float.toString(propValue));
   }

   public void setProperty(String label, String propName, double propValue) throws java.lang.Exception {
      setProperty(label, propName, Double.toString(propValue));
   }

   public synchronized StrVector getAllowedPropertyValues(String label, String propName) throws java.lang.Exception {
      if ("Core".equals(label)) {
         return new StrVector();
      }
      return StrVector.of(device(label).property(propName).allowed);
   }

   public synchronized boolean isPropertyReadOnly(String label, String propName) throws java.lang.Exception {
      return !"Core".equals(label) && device(label).property(propName).readOnly;
   }

   public synchronized boolean hasPropertyLimits(String label, String propName) throws java.lang.Exception {
      return !"Core".equals(label) && device(label).property(propName).hasLimits;
   }

   public synchronized double getPropertyLowerLimit(String label, String propName) throws java.lang.Exception {
      StandInProperty p = device(label).property(propName);
      return p.hasLimits ? p.lower : 0.0;
   }

   public synchronized double getPropertyUpperLimit(String label, String propName) throws java.lang.Exception {
      StandInProperty p = device(label).property(propName);
      return p.hasLimits ? p.upper : 0.0;
   }

   // ---- Roles ----

   public synchronized String getCameraDevice() {
      return camera_;
   }

   public synchronized void setCameraDevice(String cameraLabel) throws java.lang.Exception {
      if (cameraLabel.isEmpty()) {
         camera_ = "";
         return;
      }
      if (!(device(cameraLabel) instanceof StandInCamera)) {
         throw new java.lang.Exception("Device \"" + cameraLabel + "\" is not a camera");
      }
      camera_ = cameraLabel;
   }

   public synchronized String getFocusDevice() {
      return focus_;
   }

   public synchronized void setFocusDevice(String focusLabel) throws java.lang.Exception {
      if (focusLabel.isEmpty()) {
         focus_ = "";
         return;
      }
      if (!(device(focusLabel) instanceof StandInStage)) {
         throw new java.lang.Exception("Device \"" + focusLabel + "\" is not a stage");
      }
      focus_ = focusLabel;
   }

   public synchronized String getXYStageDevice() {
      return xyStage_;
   }

   public synchronized void setXYStageDevice(String xyStageLabel) throws java.lang.Exception {
      if (xyStageLabel.isEmpty()) {
         xyStage_ = "";
         return;
      }
      if (!(device(xyStageLabel) instanceof StandInXYStage)) {
         throw new java.lang.Exception("Device \"" + xyStageLabel + "\" is not an XY stage");
      }
      xyStage_ = xyStageLabel;
   }

   // ---- Camera ----

   private StandInCamera camera() throws java.lang.Exception {
      if (camera_.isEmpty()) {
         throw new java.lang.Exception("Camera not loaded or initialized.");
      }
      return (StandInCamera) device(camera_);
   }

   private StandInCamera idleCamera() throws java.lang.Exception {
      StandInCamera c = camera();
      if (c.isCapturing()) {
         throw new java.lang.Exception("This operation can not be executed while sequence acquisition is running.");
      }
      return c;
   }

   public synchronized void setExposure(double exp) throws java.lang.Exception {
      camera().set("Exposure", Double.toString(exp));
   }

   public synchronized double getExposure() throws java.lang.Exception {
      return camera().exposureMs();
   }

   public synchronized void setROI(int x, int y, int xSize, int ySize) throws java.lang.Exception {
      idleCamera().setRoi(x, y, xSize, ySize);
   }

   public synchronized void getROI(int[] x, int[] y, int[] xSize, int[] ySize) throws java.lang.Exception {
      int[] r = camera().roi();
      x[0] = r[0];
      y[0] = r[1];
      xSize[0] = r[2];
      ySize[0] = r[3];
   }

   public synchronized void clearROI() throws java.lang.Exception {
      idleCamera().clearRoi();
   }

   public synchronized long getImageWidth() {
      try {
         return camera().width();
      } catch (java.lang.Exception e) {
         return 0;
      }
   }

   public synchronized long getImageHeight() {
      try {
         return camera().height();
      } catch (java.lang.Exception e) {
         return 0;
      }
   }

   public synchronized long getBytesPerPixel() {
      try {
         return camera().bytesPerPixel();
      } catch (java.lang.Exception e) {
         return 0;
      }
   }

   public synchronized long getImageBitDepth() {
      try {
         return camera().bitDepth();
      } catch (java.lang.Exception e) {
         return 0;
      }
   }

   public synchronized long getNumberOfComponents() {
      return 1;
   }

   public synchronized int getImageBufferSize() {
      return (int) (getImageWidth() * getImageHeight() * getBytesPerPixel());
   }

   public void snapImage() throws java.lang.Exception {
      StandInCamera c;
      synchronized (this) {
         c = idleCamera();
      }
      c.snap();
   }

   public synchronized Object getImage() throws java.lang.Exception {
      Object image = camera().snapped();
      if (image == null) {
         throw new java.lang.Exception("Issue snapImage before getImage.");
      }
      if (image instanceof short[]) {
         return ((short[]) image).clone();
      }
      return ((byte[]) image).clone();
   }

   public synchronized void startSequenceAcquisition(int numImages, double intervalMs, boolean stopOnOverflow)
         throws java.lang.Exception {
      if (numImages <= 0) {
         throw new java.lang.Exception("Error in device \"" + camera_ + "\": Invalid number of images " + numImages);
      }
      startSequence(numImages, stopOnOverflow);
   }

   public synchronized void startContinuousSequenceAcquisition(double intervalMs) throws java.lang.Exception {
      startSequence(Long.MAX_VALUE, false);
   }

   private void startSequence(long count, boolean stopOnOverflow) throws java.lang.Exception {
      StandInCamera c = idleCamera();
      if (!buffer_.initialize(c.width(), c.height(), c.bytesPerPixel(), footprintMB_, c.label)) {
         throw new java.lang.Exception("Failed to initialize circular buffer - memory requirements not adequate.");
      }
      buffer_.setOverwrite(!stopOnOverflow);
      c.startSequence(count, stopOnOverflow, buffer_);
   }

   public void stopSequenceAcquisition() throws java.lang.Exception {
      StandInCamera c;
      synchronized (this) {
         c = camera();
      }
      c.stopSequence();
   }

   public synchronized boolean isSequenceRunning() {
      StandInDevice d = devices_.get(camera_);
      return d instanceof StandInCamera && ((StandInCamera) d).isCapturing();
   }

   public int getRemainingImageCount() {
      return buffer_.remaining();
   }

   public int getBufferTotalCapacity() {
      return buffer_.capacity();
   }

   public int getBufferFreeCapacity() {
      return buffer_.free();
   }

   public boolean isBufferOverflowed() {
      return buffer_.overflowed();
   }

   public Object popNextImage() throws java.lang.Exception {
      return buffer_.pop(null);
   }

   public Object popNextImageMD(Metadata md) throws java.lang.Exception {
      return buffer_.pop(md);
   }

   public Object getLastImage() throws java.lang.Exception {
      return buffer_.last();
   }

   public synchronized void setCircularBufferMemoryFootprint(long sizeMB) throws java.lang.Exception {
      if (isSequenceRunning()) {
         throw new java.lang.Exception("This operation can not be executed while sequence acquisition is running.");
      }
      if (sizeMB <= 0) {
         throw new java.lang.Exception("Failed to initialize circular buffer - memory requirements not adequate.");
      }
      footprintMB_ = sizeMB;
   }

   public synchronized long getCircularBufferMemoryFootprint() {
      return footprintMB_;
   }

   public void clearCircularBuffer() throws java.lang.Exception {
      buffer_.clear();
   }

   // ---- Stages ----

   private StandInStage stage(String label) throws java.lang.Exception {
      StandInDevice d = device(label);
      if (!(d instanceof StandInStage)) {
         throw new java.lang.Exception("Device \"" + label + "\" is not a stage");
      }
      return (StandInStage) d;
   }

   private StandInXYStage xyStage(String label) throws java.lang.Exception {
      StandInDevice d = device(label);
      if (!(d instanceof StandInXYStage)) {
         throw new java.lang.Exception("Device \"" + label + "\" is not an XY stage");
      }
      return (StandInXYStage) d;
   }

   public synchronized void setPosition(String stageLabel, double position) throws java.lang.Exception {
      stage(stageLabel).move(position);
   }

   public synchronized double getPosition(String stageLabel) throws java.lang.Exception {
      return stage(stageLabel).position();
   }

   public synchronized void setXYPosition(String xyStageLabel, double x, double y) throws java.lang.Exception {
      xyStage(xyStageLabel).move(x, y);
   }

   public synchronized double getXPosition(String xyStageLabel) throws java.lang.Exception {
      return xyStage(xyStageLabel).x();
   }

   public synchronized double getYPosition(String xyStageLabel) throws java.lang.Exception {
      return xyStage(xyStageLabel).y();
   }

   public synchronized void stop(String xyOrZStageLabel) throws java.lang.Exception {
      device(xyOrZStageLabel);
   }
}
