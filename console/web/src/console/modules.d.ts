// A console operation file: the build gives its name and SHA-256 (scripts/operations.mjs).
declare module '*.graphql' {
  const operation: import('./graphql').Operation;
  export default operation;
}
declare module '*.csv?raw' {
  const text: string;
  export default text;
}
