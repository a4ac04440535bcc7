// Imported first by the renderer and the preload, before any schema exists. zod compiles fast
// parsers with `new Function`, which their CSP forbids (no 'unsafe-eval'), and even its probe for
// eval is reported as a CSP violation. The engine, in plain Node, keeps the compiled parsers.
import { z } from 'zod';

z.config({ jitless: true });
