// Builds the art inscription's engine: artgen/inscription/engine/*.js -> engine.min.js.
//
// esbuild bundles the ES modules from main.js into one script (an IIFE), terser minifies it
// (2-3% smaller than esbuild's own minifier), and wabt's wat2wasm compiles the WebAssembly
// kernel (kernel.wat), which the bundle carries as base64. The tools are pinned by package.json and package-lock.json (`npm ci`); the same
// sources give the same bytes. The output keeps one mark, __ARTGEN_DATA__, that Python fills
// at mint time (artgen.inscription.build.engine_js), so minting needs no node.
//
//   node tools/build-engine.mjs                  write artgen/inscription/engine.min.js
//   node tools/build-engine.mjs --out FILE       write the minified engine to FILE instead
//   node tools/build-engine.mjs --readable FILE  write the bundle unminified (for reading, tests)
//
// A module is added by writing its file under artgen/inscription/engine/ and importing it
// from the module that uses it; the build follows the imports.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants } from "node:zlib";
import * as esbuild from "esbuild";
import { minify as terser } from "terser";
import wabtModule from "wabt";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = join(ROOT, "artgen/inscription/engine");
const OUTPUT = join(ROOT, "artgen/inscription/engine.min.js");
export const DATA_MARK = "__ARTGEN_DATA__";
// The browsers the engine supports: WebAssembly SIMD's (Chrome 91, Firefox 89, Safari 16.4)
// run it; esbuild writes no syntax newer than this.
const TARGET = ["es2017"];

// The kernel module's bytes from WebAssembly text (wabt's wat2wasm, SIMD on).
async function wat2wasm(path) {
  const wabt = await wabtModule();
  const module = wabt.parseWat(relative(ROOT, path), readFileSync(path, "utf8"), { simd: true });
  try {
    module.validate();
    return Buffer.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

// esbuild plugin: `import KERNEL from "./kernel.wat"` gives the compiled module as base64.
const watPlugin = {
  name: "wat",
  setup(build) {
    build.onLoad({ filter: /\.wat$/ }, async (args) => ({
      contents: (await wat2wasm(args.path)).toString("base64"),
      loader: "text",
    }));
  },
};

// terser's options: its safe compressions (no unsafe math: every floating-point operation
// stays as written, in order) in two passes, local names shortened, ASCII output.
const TERSER = { compress: { passes: 2 }, mangle: true, format: { ascii_only: true } };

// The engine script: the modules bundled, then minified unless `minify` is false.
export async function buildEngine({ minify = true } = {}) {
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: [join(SOURCES, "main.js")],
    bundle: true,
    format: "iife",
    target: TARGET,
    legalComments: "none",
    charset: "ascii",
    plugins: [watPlugin],
    write: false,
    logLevel: "error",
  });
  let script = result.outputFiles[0].text;
  if (minify) script = (await terser(script, TERSER)).code;
  script = script.trimEnd();
  check(script);
  return script;
}

// The script is inlined in HTML and holds the data mark once.
function check(script) {
  const count = script.split(DATA_MARK).length - 1;
  if (count !== 1) throw new Error(`the engine must hold ${DATA_MARK} exactly once, found ${count}`);
  const lowered = script.toLowerCase();
  if (lowered.includes("</script") || lowered.includes("<!--")) {
    throw new Error("the engine must not hold '</script' or '<!--' (it is inlined in HTML)");
  }
}

// Writes through a temporary file, so a failed build leaves the old engine whole.
function writeAtomic(path, text) {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}

function brotliBytes(text) {
  const params = { [constants.BROTLI_PARAM_QUALITY]: 11 };
  return brotliCompressSync(Buffer.from(text), { params }).length;
}

async function main(argv) {
  const options = { out: OUTPUT, minify: true };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--out" && argv[i + 1]) options.out = argv[++i];
    else if (argv[i] === "--readable" && argv[i + 1]) [options.out, options.minify] = [argv[++i], false];
    else throw new Error(`usage: build-engine.mjs [--out FILE | --readable FILE], got ${argv[i]}`);
  }
  const script = await buildEngine(options);
  writeAtomic(options.out, script + "\n");
  const bytes = Buffer.byteLength(script + "\n");
  console.log(`${relative(process.cwd(), options.out) || options.out}: ${bytes.toLocaleString("en")} bytes,` +
    ` ${brotliBytes(script + "\n").toLocaleString("en")} after brotli (before the data Python adds)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`build-engine: ${err.message}`);
    process.exit(2);
  });
}
