/**
 * Layer rules (checked by `npm test`, see scripts/test.mjs): the contract stands alone, the kernel
 * (domain-free parsers and numerics) imports no domain, the engine
 * knows nothing of services, storage or jobs, services are host-free, the renderer talks to main
 * only through the contract.
 */
module.exports = {
  forbidden: [
    { name: 'shared-stands-alone', severity: 'error', comment: 'shared/ (contract, kernel) imports nothing from main/ or renderer/',
      from: { path: '^shared/' }, to: { path: '^(main|renderer)/' } },
    { name: 'kernel-is-domain-free', severity: 'error', comment: 'main/kernel (value parsers, numerics, intervals) imports nothing else from main/: every domain may use it',
      from: { path: '^main/kernel/' }, to: { path: '^main/(?!kernel/)' } },
    { name: 'analysis-is-pure-engine', severity: 'error', comment: 'main/analysis never imports services, db or jobs',
      from: { path: '^main/analysis/' }, to: { path: '^main/(services|db|jobs|rpc|cli)/' } },
    { name: 'services-host-free', severity: 'error', comment: 'services never import electron (they run in the CLI and the browser host too)',
      from: { path: '^main/(services|analysis|import|db|jobs)/' }, to: { path: '^(electron$|node_modules/electron/)', dependencyTypes: ['npm', 'npm-dev', 'npm-no-pkg', 'npm-unknown', 'core', 'unknown', 'local'] } },
    { name: 'renderer-through-contract', severity: 'error', comment: 'renderer/ never imports main/',
      from: { path: '^renderer/' }, to: { path: '^main/' } },
    { name: 'no-import-circles', severity: 'error', comment: 'no module reaches itself through its imports (screens link through renderer/routes.ts, not the Shell)',
      from: { path: '^(main|shared|renderer)/' }, to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    ...(require('node:fs').existsSync('tsconfig.json') ? { tsConfig: { fileName: 'tsconfig.json' } } : {}),
    tsPreCompilationDeps: true,
    exclude: { path: '^(node_modules|dist|test-results)/' },
  },
};
