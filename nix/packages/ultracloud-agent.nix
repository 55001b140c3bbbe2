# The nix-agent as a package: the installer's shaded jar (installer-client/target/ultracloud-installer.jar, built by
# `mvn -pl installer-client -am package`; one jar holds both programs) and a wrapper `bin/ultracloud-agent` that runs
# its `agent` command on the given JRE, so `ultracloud-agent --deployer URL ...` is `installer agent --deployer URL ...`.
#   pkgs.callPackage ./ultracloud-agent.nix { jar = ./ultracloud-installer.jar; }
# Pass the jar as a Nix path (copied into the store), not as a string. nix/modules/nix-agent.nix builds this from
# `ultracloud.nixAgent.jar` when no package is given.
{ lib, stdenvNoCC, makeWrapper, jdk17_headless, jar, jre ? jdk17_headless, version ? "0.1.0" }:
stdenvNoCC.mkDerivation {
  pname = "ultracloud-agent";
  inherit version;
  src = jar;
  dontUnpack = true;
  nativeBuildInputs = [ makeWrapper ];
  installPhase = ''
    runHook preInstall
    install -Dm444 "$src" "$out/share/ultracloud/ultracloud-installer.jar"
    makeWrapper ${jre}/bin/java "$out/bin/ultracloud-agent" \
      --add-flags "-jar $out/share/ultracloud/ultracloud-installer.jar agent"
    runHook postInstall
  '';
  meta = {
    description = "UltraCloud nix-agent: activates the node's desired system with a health gate and rollback";
    mainProgram = "ultracloud-agent";
    platforms = lib.platforms.linux;
  };
}
