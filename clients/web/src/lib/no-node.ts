// The console never reaches Node's modules: a shared module that would pull one in fails the build loudly here.
export {};
throw new Error('a Node.js module was bundled into the console');
