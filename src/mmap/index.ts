// The mmap module's public names.
export * from './api.js';
export * from './consts.js';
export { PageFlags, type FlagRange } from './pageflags.js';
export { ExtentMap, type Extent } from './extents.js';
export { UnicornBackend, type MemBackend, type HostBlock } from './backend.js';
export { AddressSpace, type AddressSpaceOptions } from './mmap.js';
export { GuestAccess, type Backing } from './access.js';
