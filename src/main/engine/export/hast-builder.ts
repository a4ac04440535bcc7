import type { Element, ElementContent, Properties, Text } from 'hast';

type Child = ElementContent | string | null | undefined | false;

/** An element with its children; strings become text, and absent children are left out. */
export function h(tagName: string, properties: Properties = {}, children: readonly Child[] = []): Element {
  return {
    type: 'element',
    tagName,
    properties,
    children: children.flatMap((child): ElementContent[] =>
      typeof child === 'string' ? [text(child)] : child ? [child] : [],
    ),
  };
}

export function text(value: string): Text {
  return { type: 'text', value };
}
