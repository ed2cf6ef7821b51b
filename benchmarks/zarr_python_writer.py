"""The zarr-python reference of `navigate bench`: writes the same synthetic frames with the same chunks and codec
as our writer, and reports durable time (ending after os.sync()), CPU time and peak memory as JSON on stdout.

Usage: zarr_python_writer.py OUT SAMPLE WIDTH HEIGHT FRAMES CODEC
  SAMPLE: the first frames of the synthetic camera (uint16), written by navigate bench; the script cycles through
  them, stamping each frame's number into its first four pixels as the camera does.
  CODEC: none | lz4 | zstd (blosc, byte shuffle, clevel 5 / 3 as ours)."""
import json, os, resource, sys, time

import numpy as np
import zarr
from numcodecs import Blosc

out, sample_path, width, height, frames, codec = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
sample = np.fromfile(sample_path, dtype="<u2").reshape(-1, height, width)
compressor = {
    "none": None,
    "lz4": Blosc(cname="lz4", clevel=5, shuffle=Blosc.SHUFFLE),
    "zstd": Blosc(cname="zstd", clevel=3, shuffle=Blosc.SHUFFLE),
}[codec]

cpu0 = time.process_time()
t0 = time.perf_counter()
array = zarr.open(out, mode="w", shape=(frames, height, width), chunks=(1, height, width), dtype="<u2", compressor=compressor)
frame = np.empty((height, width), dtype="<u2")
for n in range(frames):
    frame[:] = sample[n % len(sample)]
    frame.reshape(-1)[:4] = np.frombuffer(np.int64(n).tobytes(), dtype="<u2")
    array[n] = frame
os.sync()
seconds = time.perf_counter() - t0
cpu = time.process_time() - cpu0
files = 0
size = 0
for root, _, names in os.walk(out):
    for name in names:
        files += 1
        size += os.path.getsize(os.path.join(root, name))
print(json.dumps({
    "seconds": seconds,
    "cpuSeconds": cpu,
    "peakMemoryBytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    "bytesOnDisk": size,
    "files": files,
    "zarr": zarr.__version__,
}))
