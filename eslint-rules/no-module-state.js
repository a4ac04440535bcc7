// Module-level mutable state in the engine is shared by every window in the process: exactly the
// cross-talk gptme suffered. Per-conversation state belongs to a WindowContext.
const MUTABLE_CONSTRUCTORS = new Set([
  'Map',
  'Set',
  'WeakMap',
  'WeakSet',
  'Array',
  'Object',
  'EventEmitter',
  'AbortController',
]);

function isFrozen(node) {
  let inner = node;
  while (inner.type === 'TSAsExpression' || inner.type === 'TSSatisfiesExpression') inner = inner.expression;
  return (
    inner.type === 'CallExpression' &&
    inner.callee.type === 'MemberExpression' &&
    inner.callee.object.type === 'Identifier' &&
    inner.callee.object.name === 'Object' &&
    inner.callee.property.type === 'Identifier' &&
    inner.callee.property.name === 'freeze'
  );
}

function mutableInit(node) {
  let inner = node;
  while (inner && (inner.type === 'TSAsExpression' || inner.type === 'TSSatisfiesExpression'))
    inner = inner.expression;
  if (!inner || isFrozen(node)) return undefined;
  if (
    inner.type === 'NewExpression' &&
    inner.callee.type === 'Identifier' &&
    MUTABLE_CONSTRUCTORS.has(inner.callee.name)
  ) {
    return `new ${inner.callee.name}()`;
  }
  if (inner.type === 'ArrayExpression') return 'an array literal';
  if (inner.type === 'ObjectExpression') return 'an object literal';
  return undefined;
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'No module-level mutable state in the engine' },
    schema: [],
    messages: {
      binding:
        "Module-level '{{kind}}' in the engine is state shared by every window; keep it in a WindowContext.",
      value:
        'Module-level {{what}} in the engine is mutable and shared by every window; wrap it in Object.freeze or move it into a context.',
    },
  },
  create(context) {
    function checkDeclaration(declaration) {
      if (declaration.kind !== 'const') {
        context.report({ node: declaration, messageId: 'binding', data: { kind: declaration.kind } });
        return;
      }
      for (const declarator of declaration.declarations) {
        const what = mutableInit(declarator.init);
        if (what) context.report({ node: declarator, messageId: 'value', data: { what } });
      }
    }
    return {
      'Program > VariableDeclaration': checkDeclaration,
      'Program > ExportNamedDeclaration > VariableDeclaration': checkDeclaration,
    };
  },
};
