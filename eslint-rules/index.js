import layers from './layers.js';
import noCycle from './no-cycle.js';
import noModuleState from './no-module-state.js';

export default {
  meta: { name: 'deskmate' },
  rules: { layers, 'no-cycle': noCycle, 'no-module-state': noModuleState },
};
