// Reads arrays written by the Navigate Zarr engine with zarrita (an independent JavaScript implementation) and
// dumps each one's values, little endian in C order, to <root>/<name>.zarrita.bin.
// Usage: node read.mjs <store root> <manifest.json: array names>
import * as zarr from "zarrita";
import FileSystemStore from "@zarrita/storage/fs";
import { readFileSync, writeFileSync } from "node:fs";

const [root, manifestPath] = process.argv.slice(2);
const names = JSON.parse(readFileSync(manifestPath, "utf8"));
const store = await zarr.withConsolidatedMetadata(new FileSystemStore(root), { format: "v2" });
const results = {
  contents: store.contents().map((c) => `${c.kind}:${c.path}`).sort(),
  rootAttributes: (await zarr.open.v2(zarr.root(store), { kind: "group" })).attrs,
  arrays: {},
};
for (const name of names) {
  try {
    const array = await zarr.open.v2(zarr.root(store).resolve(name), { kind: "array" });
    const chunk = await zarr.get(array);
    const data = chunk.data;
    writeFileSync(`${root}/${name}.zarrita.bin`, Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    results.arrays[name] = { dtype: array.dtype, shape: array.shape, stride: chunk.stride };
  } catch (e) {
    results.arrays[name] = { error: String(e) };
  }
}
writeFileSync(`${root}/zarrita-results.json`, JSON.stringify(results, null, 1));
