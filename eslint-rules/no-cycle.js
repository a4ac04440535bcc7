// A cycle between two files is a missing interface (STYLE.md, 16): the lower one should declare
// what it needs and the upper one implement it. `import type` counts too: a type-only cycle still
// ties the two designs together, and it is exactly how the cycles we had began. That is why this
// is our own rule: eslint-plugin-import-x's no-cycle skips type-only imports.
//
// Only relative imports are followed (a package cannot import us back). The imports of the other
// files are read from disk with TypeScript's own scanner, which sees every form: import, import
// type, export from, import(), require, `import x = require()` and `import('x').T` in a type.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.js', '.jsx', '.mjs', '.cjs'];
const SOURCE = /\.(?:[cm]?[jt]sx?)$/;

// Each file's resolved imports, for as long as the file is unchanged: one lint run reads each
// file once, however many files' cycles pass through it.
const importsCache = new Map();

function isFile(file) {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** The source file a relative specifier names, as TypeScript would find it; undefined otherwise. */
function resolve(from, specifier) {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base, ...EXTENSIONS.map((ext) => base + ext)];
  // `./x.js` written for an ESM build names `./x.ts`.
  const js = /\.([cm]?)js(x?)$/.exec(base);
  if (js) candidates.push(base.slice(0, js.index) + `.${js[1]}ts${js[2]}`);
  candidates.push(...EXTENSIONS.map((ext) => path.join(base, `index${ext}`)));
  return candidates.find(
    (file) => SOURCE.test(file) && !file.includes(`${path.sep}node_modules${path.sep}`) && isFile(file),
  );
}

/** Every relative import of `text`, with where it stands and the file it resolves to. */
function importsOf(file, text) {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  return importedFiles.flatMap(({ fileName, pos, end }) => {
    if (!fileName.startsWith('.')) return [];
    const target = resolve(file, fileName);
    return target ? [{ specifier: fileName, pos, end, target }] : [];
  });
}

function importsOnDisk(file) {
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    return [];
  }
  const key = `${stat.mtimeMs}:${stat.size}`;
  const cached = importsCache.get(file);
  if (cached?.key === key) return cached.imports;
  const imports = [...new Set(importsOf(file, fs.readFileSync(file, 'utf8')).map((i) => i.target))];
  importsCache.set(file, { key, imports });
  return imports;
}

/** The shortest chain of imports from `start` back to `goal`, both included; undefined if none. */
function pathBack(start, goal) {
  const previous = new Map([[start, undefined]]);
  const queue = [start];
  while (queue.length) {
    const file = queue.shift();
    for (const next of importsOnDisk(file)) {
      if (next === goal) {
        const chain = [file];
        for (let at = previous.get(file); at !== undefined; at = previous.get(at)) chain.unshift(at);
        return [...chain, goal];
      }
      if (!previous.has(next)) {
        previous.set(next, file);
        queue.push(next);
      }
    }
  }
  return undefined;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Forbid import cycles, type-only imports included' },
    schema: [],
    messages: {
      cycle:
        'Import cycle: {{cycle}}. Let the lower file declare the narrow interface it needs and the other implement it.',
    },
  },
  create(context) {
    const file = context.physicalFilename;
    if (!path.isAbsolute(file)) return {};
    return {
      Program() {
        const { sourceCode } = context;
        const seen = new Set();
        for (const { target, pos, end } of importsOf(file, sourceCode.text)) {
          // One report per imported file, however many statements import it.
          if (target === file || seen.has(target)) continue;
          seen.add(target);
          const chain = pathBack(target, file);
          if (!chain) continue;
          const cycle = [file, ...chain].map((f) => path.relative(context.cwd, f).split(path.sep).join('/'));
          context.report({
            loc: { start: sourceCode.getLocFromIndex(pos), end: sourceCode.getLocFromIndex(end) },
            messageId: 'cycle',
            data: { cycle: cycle.join(' → ') },
          });
        }
      },
    };
  },
};
