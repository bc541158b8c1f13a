// Imports a module that does not exist.
import { somethingElse } from './does-not-exist.js';

export default somethingElse;
