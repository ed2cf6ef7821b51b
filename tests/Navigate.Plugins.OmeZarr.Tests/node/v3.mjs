// Zarr v3 conformance with zarrita (an independent JavaScript implementation).
//   node v3.mjs read <store root> <manifest.json: array paths>
//     opens each array as Zarr v3, reads it whole and dumps its values (little endian, C order) to
//     <root>/<path>.zarrita.bin; writes <root>/zarrita-v3-results.json (dtype, shape, chunks, or the error).
//   node v3.mjs write <store root> <cases.json: [{name, dtype, shape, chunk_shape, codecs, fill_value}]>
//     creates each array with zarrita and fills it with the values in <root>/<name>.input.bin.
import * as zarr from "zarrita";
import FileSystemStore from "@zarrita/storage/fs";
import { readFileSync, writeFileSync } from "node:fs";

const [mode, root, manifestPath] = process.argv.slice(2);
const fsStore = new FileSystemStore(root);

// zarrita 0.7.5 always reads a shard's index from the end (it ignores "index_location"). For arrays whose index is
// at the start, this wrapper answers zarrita's suffix request for the index with the shard's first bytes; decoding
// the index (with its crc32c), the offsets and the inner chunks stays zarrita's own work.
const indexAtStart = new Set();
const store = {
  get: (key, opts) => fsStore.get(key, opts),
  set: (key, value) => fsStore.set(key, value),
  async getRange(key, range, opts) {
    const arrayPath = [...indexAtStart].find((p) => key.startsWith(p + "/"));
    if (arrayPath && range.suffixLength !== undefined) {
      const whole = await fsStore.get(key, opts);
      return whole === undefined ? undefined : whole.subarray(0, range.suffixLength);
    }
    return fsStore.getRange(key, range, opts);
  },
};
const typed = {
  uint8: Uint8Array, int8: Int8Array, uint16: Uint16Array, int16: Int16Array, uint32: Uint32Array,
  int32: Int32Array, uint64: BigUint64Array, int64: BigInt64Array, float32: Float32Array, float64: Float64Array,
};

// Copies a strided chunk into a fresh C-order array (zarrita may hand back transposed views).
function toCOrder({ data, shape, stride }) {
  const out = new data.constructor(data.length);
  const index = new Array(shape.length).fill(0);
  for (let n = 0; n < data.length; n++) {
    let offset = 0;
    for (let d = 0; d < shape.length; d++) offset += index[d] * stride[d];
    out[n] = data[offset];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}

if (mode === "read") {
  const names = JSON.parse(readFileSync(manifestPath, "utf8"));
  const results = {};
  for (const name of names) {
    try {
      const meta = JSON.parse(readFileSync(`${root}/${name}/zarr.json`, "utf8"));
      const sharding = meta.codecs.find((c) => c.name === "sharding_indexed");
      if (sharding?.configuration?.index_location === "start") indexAtStart.add(`/${name}`);
      const array = await zarr.open.v3(zarr.root(store).resolve(name), { kind: "array" });
      const chunk = await zarr.get(array);
      const data = toCOrder(chunk);
      writeFileSync(`${root}/${name}.zarrita.bin`, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      results[name] = { dtype: array.dtype, shape: array.shape, chunks: array.chunks, attrs: array.attrs };
    } catch (e) {
      results[name] = { error: String(e) + (e.cause ? ` (cause: ${e.cause})` : "") };
    }
  }
  writeFileSync(`${root}/zarrita-v3-results.json`, JSON.stringify(results, null, 1));
} else if (mode === "write") {
  const cases = JSON.parse(readFileSync(manifestPath, "utf8"));
  await zarr.create(zarr.root(store), { attributes: { writer: "zarrita" } });
  for (const c of cases) {
    const bytes = readFileSync(`${root}/${c.name}.input.bin`);
    const Type = typed[c.dtype];
    const values = new Type(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    const array = await zarr.create(zarr.root(store).resolve(c.name), {
      shape: c.shape, chunkShape: c.chunk_shape, dtype: c.dtype, codecs: c.codecs, fillValue: c.fill_value,
      chunkSeparator: c.separator, attributes: { case: c.name },
    });
    const stride = c.shape.map((_, i) => c.shape.slice(i + 1).reduce((a, b) => a * b, 1));
    await zarr.set(array, null, { data: values, shape: c.shape, stride });
  }
} else {
  throw new Error(`unknown mode ${mode}`);
}
