# The installer as a package: the shaded jar (installer-client/target/ultracloud-installer.jar, built by
# `mvn -pl installer-client -am package`) and a wrapper `bin/installer` that runs it on the given JRE.
#   pkgs.callPackage ./installer-package.nix { jar = ./ultracloud-installer.jar; }
{ lib, stdenvNoCC, makeWrapper, jdk17_headless, jar, jre ? jdk17_headless, version ? "0.1.0" }:
stdenvNoCC.mkDerivation {
  pname = "ultracloud-installer";
  inherit version;
  src = jar;
  dontUnpack = true;
  nativeBuildInputs = [ makeWrapper ];
  installPhase = ''
    runHook preInstall
    install -Dm444 "$src" "$out/share/ultracloud/ultracloud-installer.jar"
    makeWrapper ${jre}/bin/java "$out/bin/installer" \
      --add-flags "-jar $out/share/ultracloud/ultracloud-installer.jar"
    runHook postInstall
  '';
  meta = {
    description = "UltraCloud installer: announces the machine to the deployer and installs NixOS as planned";
    mainProgram = "installer";
    platforms = lib.platforms.linux;
  };
}
