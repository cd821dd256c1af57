/** The app version, from package.json at build time (esbuild/vite inline JSON imports). */
import pkg from '../../package.json';
export const APP_VERSION: string = pkg.version;
