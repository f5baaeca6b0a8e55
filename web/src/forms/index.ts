export { rules, sameAs, useSchema, LIMITS, type V } from './rules';
export { applyApiErrors, ROOT_ERROR } from '../api/errors';
