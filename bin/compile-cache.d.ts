/** Turns Node's on-disk compile cache on for every module loaded from now on (see compile-cache.js). */
export declare function enableCompileCache(): void;
