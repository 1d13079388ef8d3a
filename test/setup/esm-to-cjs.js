// Jest's module loader cannot require ES modules; Node 20.19+ can, so the app loads ESM-only
// dependencies (jose, content-disposition) as they are. Under Jest they are compiled to
// CommonJS here, by esbuild, which keeps modern syntax such as class fields intact.
const { transformSync } = require('esbuild');

module.exports = {
  process(source, path) {
    const { code, map } = transformSync(source, {
      format: 'cjs',
      target: 'node20',
      sourcemap: true,
      sourcefile: path,
      loader: 'js',
    });
    return { code, map };
  },
};
