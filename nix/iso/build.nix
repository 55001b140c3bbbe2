# Builds the installer ISO without flakes, on a machine that has nixpkgs:
#   nix-build nix/iso/build.nix -I nixpkgs=channel:nixos-25.05 \
#     --arg jar "$PWD/installer-client/target/ultracloud-installer.jar"
# Optional: --argstr deployerUrl https://deployer.example:8080, --argstr system aarch64-linux.
# The ISO lands in ./result/iso/.
{ nixpkgs ? <nixpkgs>, system ? "x86_64-linux", jar, deployerUrl ? null }:
(import (nixpkgs + "/nixos/lib/eval-config.nix") {
  inherit system;
  modules = [
    ./installer.nix
    { ultracloud.installer = { inherit jar deployerUrl; }; }
  ];
}).config.system.build.isoImage
