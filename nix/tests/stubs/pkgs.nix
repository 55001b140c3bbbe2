# Stand-in for the nixpkgs package set, for nix/tests only: the packages nix/modules name, as fake
# derivations (derivation.nix). A package that is not listed is missing, so a module that starts using
# another one fails here until it is added.
let
  drv = import ./derivation.nix;
in
{
  kexec-tools = drv "kexec-tools-2.0.29";
  nix = drv "nix-2.24.14";
}
