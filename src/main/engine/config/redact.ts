import type { ConfigLayer, ConfigSnapshot } from '../../../shared/config';
import { deepFreeze } from '../base/deep-freeze';

/** API keys never leave main: a renderer sees that a key is set and its last four characters. */
export function redactKey(key: string): string {
  return key.length > 8 ? `••••${key.slice(-4)}` : '••••';
}

function redactLayer(layer: ConfigLayer): ConfigLayer {
  const apiKey = layer.values.provider?.apiKey;
  if (apiKey === undefined) return layer;
  return {
    ...layer,
    values: { ...layer.values, provider: { ...layer.values.provider, apiKey: redactKey(apiKey) } },
  };
}

export function redactSnapshot(snapshot: ConfigSnapshot): ConfigSnapshot {
  const { apiKey } = snapshot.effective.provider;
  return deepFreeze({
    ...snapshot,
    effective:
      apiKey === undefined
        ? snapshot.effective
        : { ...snapshot.effective, provider: { ...snapshot.effective.provider, apiKey: redactKey(apiKey) } },
    layers: snapshot.layers.map(redactLayer),
  });
}
