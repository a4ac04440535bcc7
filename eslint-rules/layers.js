// Imports go one way: shared <- engine <- app|web|cli; shared <- preload; shared <- renderer.
// Relative imports are resolved against the importing file, so `../../main/x` is caught however
// it is spelled; 'electron' is allowed only in src/main/app and src/preload.
import path from 'node:path';

const LAYERS = [
  { name: 'src/shared', allows: ['src/shared'], electron: false },
  { name: 'src/main/engine', allows: ['src/shared', 'src/main/engine'], electron: false },
  { name: 'src/main/app', allows: ['src/shared', 'src/main/engine', 'src/main/app'], electron: true },
  { name: 'src/main/web', allows: ['src/shared', 'src/main/engine', 'src/main/web'], electron: false },
  { name: 'src/main/cli', allows: ['src/shared', 'src/main/engine', 'src/main/cli'], electron: false },
  { name: 'src/preload', allows: ['src/shared', 'src/preload'], electron: true },
  { name: 'src/renderer', allows: ['src/shared', 'src/renderer'], electron: false },
];

function layerOf(relativePath) {
  const normalized = relativePath.split(path.sep).join('/');
  return LAYERS.find((layer) => normalized === layer.name || normalized.startsWith(`${layer.name}/`));
}

export default {
  meta: {
    type: 'problem',
    docs: {
      description:
        'Keep runtimes apart: imports go shared <- engine <- hosts, electron only in app and preload',
    },
    schema: [],
    messages: {
      electron:
        "'electron' may not be imported in {{layer}}: only src/main/app and src/preload run inside Electron.",
      against:
        '{{layer}} may not import {{target}}: imports go shared <- engine <- app|web|cli, shared <- preload|renderer.',
    },
  },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename);
    const layer = layerOf(file);
    if (!layer) return {};

    function check(node, source) {
      if (typeof source !== 'string') return;
      if (source === 'electron' || source.startsWith('electron/')) {
        if (!layer.electron) context.report({ node, messageId: 'electron', data: { layer: layer.name } });
        return;
      }
      if (!source.startsWith('.')) return;
      const target = path.relative(root, path.resolve(path.dirname(context.filename), source));
      const targetLayer = layerOf(target);
      if (targetLayer && !layer.allows.includes(targetLayer.name)) {
        context.report({ node, messageId: 'against', data: { layer: layer.name, target: targetLayer.name } });
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) => {
        if (
          node.callee.type === 'Identifier' &&
          node.callee.name === 'require' &&
          node.arguments[0]?.type === 'Literal'
        ) {
          check(node, node.arguments[0].value);
        }
      },
    };
  },
};
