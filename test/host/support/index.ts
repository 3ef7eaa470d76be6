// Helpers for tests that run inside the real extension host. Polling and the test database are the ones the db tests
// use, so both suites wait and clean up the same way.
export { createTestDatabase, TEST_SERVER, waitFor, type TestDatabase } from '../../db/support';
export { screenshot } from './screenshot';
export { removeOnceLeft } from './suite-folder';
export { acceptingQuickInput, closingQuickInput } from './quick-input';
export { typeIntoNextInputBox } from './type-text';
export { modelOn } from './model-ready';
export { activeContainer, extensionManifest, EXTENSION_ID, repositoryRoot } from './extension';
export { openSuiteWorkspace, type SuiteWorkspace, type SuiteWorkspaceOptions } from './suite-workspace';
export { versionRow } from './tree-rows';
