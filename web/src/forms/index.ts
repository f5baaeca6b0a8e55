export { rules, sameAs, useSchema, useSchemaForm, LIMITS, type FormSchema, type SchemaFormOptions, type V } from './rules';
export { applyApiErrors, ROOT_ERROR } from '../api/errors';
