# Builds the installer ISO without flakes, on a machine that has nixpkgs:
#   nix-build nix/iso/build.nix -I nixpkgs=channel:nixos-25.05 \
#     --arg jar "$PWD/installer-client/target/ultracloud-installer.jar" \
#     --arg joinSecretFile /var/lib/deployer/join-secret --arg deployerCaCertificate /var/lib/deployer/cluster-ca.pem
# Optional: --argstr deployerUrl https://deployer.example:8443, --argstr system aarch64-linux.
# The ISO lands in ./result/iso/. Built with a join secret, the ISO is as secret as the join secret.
{ nixpkgs ? <nixpkgs>, system ? "x86_64-linux", jar, deployerUrl ? null, joinSecretFile ? null, deployerCaCertificate ? null }:
(import (nixpkgs + "/nixos/lib/eval-config.nix") {
  inherit system;
  modules = [
    ./installer.nix
    { ultracloud.installer = { inherit jar deployerUrl joinSecretFile deployerCaCertificate; }; }
  ];
}).config.system.build.isoImage
