// What the in-process keypress bench drives, bundled as the app is (bench/ink-bundle.ts).
export {render} from 'ink-testing-library';
export {createElement} from 'react';
export {App} from '../source/app/app.js';
export {registry} from '../source/views/registry.js';
export {dispatchKey} from '../source/keys/router.js';
export {AppController} from '../source/store/app-store.js';
export {createDataContext} from '../source/context.js';
