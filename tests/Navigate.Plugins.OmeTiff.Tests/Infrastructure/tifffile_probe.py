"""Independent reader/writer for the OME-TIFF plugin's tests: Debian's python3-tifffile.

usage: tifffile_probe.py read FILE...   -> JSON list, one object per file
       tifffile_probe.py write SPEC.json -> JSON list, one object per written file
       tifffile_probe.py page FILE PAGE Y X -> JSON object
       tifffile_probe.py serve           -> one JSON command per stdin line ({"args": [...]}), one JSON answer per
                                           stdout line ({"ok": ...} or {"error": "..."}); ends at end of input
"""
import hashlib
import json
import sys

import numpy
import tifffile


def describe(path):
    with tifffile.TiffFile(path) as tif:
        series = tif.series[0]
        data = series.asarray()
        page = tif.pages[0]
        tags = page.tags
        out = {
            "path": path,
            "is_bigtiff": tif.is_bigtiff,
            "is_ome": tif.is_ome,
            "is_shaped": bool(tif.is_shaped),
            "byteorder": tif.byteorder,
            "pages": len(tif.pages),
            "shape": list(data.shape),
            "axes": series.axes,
            "dtype": str(data.dtype),
            "sha256": hashlib.sha256(numpy.ascontiguousarray(data).astype(data.dtype.newbyteorder("<")).tobytes()).hexdigest(),
            "first": float(data.flat[0]),
            "last": float(data.flat[-1]),
            "description": page.description,
            "compression": int(page.compression),
            "rowsperstrip": int(page.rowsperstrip),
        }
        if "XResolution" in tags:
            x = tags["XResolution"].value
            out["xresolution"] = x[0] / x[1]
            out["resolutionunit"] = int(tags["ResolutionUnit"].value) if "ResolutionUnit" in tags else None
        if tif.is_ome:
            out["ome"] = tifffile.xml2dict(tif.ome_metadata)
        if tif.is_shaped:
            out["shaped"] = tif.shaped_metadata[0]
        return out


def page_value(path, page, y, x):
    """One pixel of one page, without reading the whole file (for multi-GB files)."""
    with tifffile.TiffFile(path) as tif:
        out = {"is_bigtiff": tif.is_bigtiff, "pages": len(tif.pages), "value": float(tif.pages[page].asarray()[y, x])}
        if tif.is_ome:
            planes = tifffile.xml2dict(tif.ome_metadata)["OME"]["Image"]["Pixels"]["Plane"]
            out["plane_position_z"] = planes[page].get("PositionZ")
        return out


def pattern(shape, dtype, seed):
    count = int(numpy.prod(shape))
    i = numpy.arange(count, dtype=numpy.uint64)
    values = (i * numpy.uint64(2654435761) + numpy.uint64(seed)) % numpy.uint64(65521)
    return values.astype(dtype).reshape(shape)


def write(spec):
    results = []
    for item in spec:
        if item["kind"] == "pages":
            with tifffile.TiffWriter(item["path"]) as w:
                for n, shape in enumerate(item["pages"]):
                    w.write(pattern(shape, item.get("dtype", "uint16"), n), photometric="minisblack", contiguous=False)
            results.append({"path": item["path"]})
            continue
        data = pattern(item["shape"], item.get("dtype", "uint16"), item.get("seed", 1))
        kwargs = {
            "photometric": "minisblack",
            "bigtiff": item.get("bigtiff", False),
            "byteorder": item.get("byteorder", "<"),
        }
        if item.get("compression"):
            kwargs["compression"] = item["compression"]
        if item.get("rowsperstrip"):
            kwargs["rowsperstrip"] = item["rowsperstrip"]
        dx, dy, dz = item.get("voxel", [1.0, 1.0, 1.0])
        kind = item["kind"]
        if kind == "ome":
            metadata = {"axes": "ZYX", "PhysicalSizeX": dx, "PhysicalSizeY": dy, "PhysicalSizeZ": dz}
            if "positions_z" in item:
                metadata["Plane"] = {"PositionZ": item["positions_z"]}
            tifffile.imwrite(item["path"], data, ome=True, metadata=metadata, **kwargs)
        elif kind == "imagej":
            tifffile.imwrite(item["path"], data, imagej=True, resolution=(1 / dx, 1 / dy), metadata={"spacing": dz, "unit": "um", "axes": "ZYX"}, **kwargs)
        elif kind == "bare":
            tifffile.imwrite(item["path"], data, description=None, metadata=None, **kwargs)
        else:
            tifffile.imwrite(item["path"], data, resolution=(1e4 / dx, 1e4 / dy, "CENTIMETER"), metadata={"spacing": dz, "unit": "um", "axes": "ZYX"}, **kwargs)
        results.append({"path": item["path"], "sha256": hashlib.sha256(numpy.ascontiguousarray(data).astype(data.dtype.newbyteorder("<")).tobytes()).hexdigest()})
    return results


def run(args):
    if args[0] == "read":
        return [describe(p) for p in args[1:]]
    if args[0] == "page":
        return page_value(args[1], int(args[2]), int(args[3]), int(args[4]))
    if args[0] == "write":
        with open(args[1]) as f:
            return write(json.load(f))
    raise ValueError("unknown command " + args[0])


def serve():
    import traceback
    for line in sys.stdin:
        try:
            answer = {"ok": run(json.loads(line)["args"])}
        except Exception:  # the test reads the traceback
            answer = {"error": traceback.format_exc()}
        sys.stdout.write(json.dumps(answer, default=str) + "\n")
        sys.stdout.flush()


def main():
    if sys.argv[1] == "serve":
        serve()
    else:
        json.dump(run(sys.argv[1:]), sys.stdout, default=str)


if __name__ == "__main__":
    main()
