// @ts-check
import tseslint from 'typescript-eslint';

/** The npm package of the editor API; only src/vscode imports it. */
const VSCODE_API = /^vscode(?:\/|$)/;

/** A relative specifier that climbs out of the importing folder into one of `folders` of src, from any depth. */
function srcFolder(...folders) {
  return new RegExp(`^(?:\\.{1,2}/)*\\.\\./(?:\\.{1,2}/)*(?:src/)?(?:${folders.join('|')})(?:/|$)`);
}

/**
 * What each folder of src must not reach, as regular expressions over import specifiers. src/core takes only its own
 * modules and node:crypto (SHA-256 of migration files, pure computation): no package, no other Node module, no editor.
 */
const BOUNDARIES = [
  {
    folder: 'core',
    forbidden: [
      [
        /^(?!\.{1,2}(?:\/|$)|node:crypto$)/,
        'src/core is pure: its own modules and node:crypto only (I/O and drivers live in src/adapters).',
      ],
      [srcFolder('adapters', 'app', 'cli', 'vscode', 'extension'), 'src/core depends on nothing else in src.'],
    ],
  },
  {
    folder: 'adapters',
    forbidden: [
      [VSCODE_API, 'Only src/vscode imports vscode.'],
      [srcFolder('app', 'cli', 'vscode', 'extension'), 'src/adapters depends on src/core only.'],
    ],
  },
  {
    folder: 'app',
    forbidden: [
      [VSCODE_API, 'Only src/vscode imports vscode.'],
      [
        srcFolder('cli', 'vscode', 'extension'),
        'src/app serves both faces: it never depends on src/cli or src/vscode.',
      ],
    ],
  },
  {
    folder: 'cli',
    forbidden: [
      [VSCODE_API, 'Only src/vscode imports vscode.'],
      [srcFolder('vscode', 'extension'), 'the CLI never depends on the editor.'],
    ],
  },
  { folder: 'vscode', forbidden: [[srcFolder('cli', 'extension'), 'src/vscode never depends on the CLI.']] },
];

/**
 * One folder's boundary, for every way a module names another: import, export ... from and import x = require()
 * (no-restricted-imports), import() and a type's import() (selectors on their literal). require() and import() of a
 * computed name cannot be checked, so they are refused.
 */
function boundaryRules({ folder, forbidden }) {
  return {
    files: [`src/${folder}/**/*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: forbidden.map(([specifier, message]) => ({ regex: specifier.source, message })) },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.name='require']",
          message: 'Use import or import(): require() escapes the layer rules.',
        },
        {
          selector: "ImportExpression[source.type!='Literal']",
          message: 'import() takes a string literal, so the layer rules can check it.',
        },
        ...forbidden.flatMap(([specifier, message]) => [
          { selector: `ImportExpression[source.value=/${specifier.source}/]`, message },
          { selector: `TSImportType[source.value=/${specifier.source}/]`, message },
        ]),
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', '.sandbox/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  ...BOUNDARIES.map(boundaryRules),
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
