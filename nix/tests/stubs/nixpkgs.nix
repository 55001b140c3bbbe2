# Stand-in for a nixpkgs flake input, for nix/tests only: `lib` (lib.nix) with `lib.nixosSystem`, which
# evaluates the given modules on top of nixos.nix (the NixOS options our modules touch) with pkgs.nix.
# `system` is accepted and ignored: nothing is built.
let
  lib = import ./lib.nix;
in
{
  lib = lib // {
    nixosSystem = { system ? "x86_64-linux", modules, specialArgs ? { } }:
      lib.evalModules {
        modules = [ ./nixos.nix ] ++ modules;
        args = { pkgs = import ./pkgs.nix; } // specialArgs;
      };
  };
}
