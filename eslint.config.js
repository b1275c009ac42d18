// Lint enforces the determinism rules of DESIGN.md and the one-way imports of the layout.
import tseslint from 'typescript-eslint';

const bannedGlobals = [
  { name: 'Date', message: 'Determinism: no wall clock in the simulated world; use env.now().' },
  { name: 'setTimeout', message: 'Determinism: no host timers; use env.setTimer().' },
  { name: 'setInterval', message: 'Determinism: no host timers; use env.setTimer().' },
  { name: 'setImmediate', message: 'Determinism: no host timers; use env.setTimer().' },
  { name: 'performance', message: 'Determinism: no wall clock in the simulated world.' },
  { name: 'crypto', message: 'Determinism: no host randomness; use a named random stream.' },
];
const bannedSyntax = [
  { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'Determinism: no global random; use a named random stream.' },
  { selector: "MemberExpression[object.name='process'][property.name='hrtime']", message: 'Determinism: no wall clock in the simulated world.' },
  { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Determinism: no wall clock in the simulated world.' },
  { selector: "MemberExpression[property.name='randomUUID']", message: 'Determinism: no host randomness.' },
  { selector: "MemberExpression[property.name='getRandomValues']", message: 'Determinism: no host randomness.' },
  { selector: "ForInStatement", message: 'Determinism: iterate arrays or Maps, never plain-object keys.' },
];
const bannedImports = [
  { name: 'crypto', message: 'Determinism: no host randomness or hashing from crypto in the simulated world.' },
  { name: 'node:crypto', message: 'Determinism: no host randomness or hashing from crypto in the simulated world.' },
  { name: 'perf_hooks', message: 'Determinism: no wall clock.' },
  { name: 'node:perf_hooks', message: 'Determinism: no wall clock.' },
  { name: 'timers', message: 'Determinism: no host timers.' },
  { name: 'node:timers', message: 'Determinism: no host timers.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bin/**', 'coverage/**', 'reports/**', '.stryker-tmp/**'] },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['sim/**/*.ts', 'models/**/*.ts', 'properties/**/*.ts', 'scenario/**/*.ts', 'traces/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...bannedGlobals],
      'no-restricted-syntax': ['error', ...bannedSyntax],
      'no-restricted-imports': ['error', { paths: bannedImports }],
    },
  },
  {
    // models/ sees the world only through Env: type-only imports from sim/, nothing from above.
    files: ['models/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: bannedImports,
        patterns: [
          { group: ['**/sim/*', '**/sim/**'], allowTypeImports: true, message: 'models/ may import only types from sim/ (through Env).' },
          { group: ['**/scenario/**', '**/properties/**', '**/traces/**', '**/cli/**'], message: 'Imports point one way: models/ does not import scenario/, properties/, traces/ or cli/.' },
        ],
      }],
    },
  },
  {
    // sim/ knows nothing of Kafka and nothing above it.
    files: ['sim/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: bannedImports,
        patterns: [
          { group: ['**/models/**', '**/scenario/**', '**/properties/**', '**/traces/**', '**/cli/**'], message: 'Imports point one way: sim/ imports nothing above it.' },
        ],
      }],
    },
  },
);
