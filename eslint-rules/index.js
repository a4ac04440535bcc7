import layers from './layers.js';
import noModuleState from './no-module-state.js';

export default {
  meta: { name: 'deskmate' },
  rules: { layers, 'no-module-state': noModuleState },
};
