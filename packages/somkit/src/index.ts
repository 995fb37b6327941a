export * from '@somkit/plugin-api';
export * from '@somkit/kernels';
export * from '@somkit/search';
export * from '@somkit/core';
export * from '@somkit/datasets';
export * from '@somkit/runtime';
