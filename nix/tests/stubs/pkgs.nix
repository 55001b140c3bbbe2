# Stand-in for the nixpkgs package set, for nix/tests only: the packages nix/modules name, as fake
# derivations (derivation.nix). A package that is not listed is missing, so a module that starts using
# another one fails here until it is added. `callPackage` fills a package function's arguments from this
# set, as nixpkgs' does; `stdenvNoCC.mkDerivation` makes a fake derivation named pname-version that keeps
# the attributes it was given (installPhase, meta, ...), so tests can read what the build would run.
let
  drv = import ./derivation.nix;
  self = {
    kexec-tools = drv "kexec-tools-2.0.29";
    nix = drv "nix-2.24.14";
    makeWrapper = drv "make-wrapper-hook";
    jdk17_headless = drv "openjdk-headless-17.0.15+6";
    lib = import ./lib.nix // { platforms.linux = [ "x86_64-linux" "aarch64-linux" ]; };
    stdenvNoCC.mkDerivation = attrs: attrs // drv "${attrs.pname}-${attrs.version}";
    callPackage = fn: args:
      let f = if builtins.isFunction fn then fn else import fn;
      in f (builtins.intersectAttrs (builtins.functionArgs f) self // args);
  };
in
self
