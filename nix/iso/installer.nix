# The generic UltraCloud installer image (DESIGN §2, §8.1): one image for every machine. Nothing in here
# is node-specific: the machine learns who it is, how to partition and what to install from the
# deployer's plan. Import it into a NixOS configuration and build config.system.build.isoImage
# (docs/installer.md shows how; nix/iso/build.nix is a ready-made entry point).
#
# Boot it with `ultracloud.deployer=https://deployer.example:8443` on the kernel command line (the
# installer reads /proc/cmdline itself), or let DHCP hand the URL out as site option 224 (see
# ultracloud.installer.dhcpOption), or bake a site-wide default in with ultracloud.installer.deployerUrl.
#
# The image proves it is this cluster's installer with the cluster join secret (docs/bootstrap.md): bake it in
# with ultracloud.installer.joinSecretFile, or give it at boot as `ultracloud.join=<secret>`. Whoever holds an
# image built with the secret holds the secret: keep the image as private as the secret itself.
{ config, lib, pkgs, modulesPath, ... }:
let
  cfg = config.ultracloud.installer;
  installer = pkgs.callPackage ./installer-package.nix { inherit (cfg) jar jre; };
  stateDir = "/run/ultracloud";
  # what `installer run` needs on its PATH: disko for the layout, nixos-install for the system,
  # plus the usual block-device tools
  runtimePath = [
    pkgs.disko
    config.system.build.nixos-install
    config.nix.package
    pkgs.util-linux
    pkgs.coreutils
    pkgs.gnugrep
    pkgs.mdadm
    pkgs.btrfs-progs
    pkgs.xfsprogs
    pkgs.e2fsprogs
    pkgs.dosfstools
    pkgs.openssh
    pkgs.systemd
  ];
in
{
  imports = [ (modulesPath + "/installer/cd-dvd/installation-cd-minimal.nix") ];

  options.ultracloud.installer = {
    jar = lib.mkOption {
      type = lib.types.path;
      description = "The installer jar (installer-client/target/ultracloud-installer.jar).";
    };
    jre = lib.mkOption {
      type = lib.types.package;
      default = pkgs.jdk17_headless;
      defaultText = lib.literalExpression "pkgs.jdk17_headless";
      description = "The Java runtime the installer runs on (Java 17 or newer).";
    };
    deployerUrl = lib.mkOption {
      type = lib.types.nullOr lib.types.str;
      default = null;
      example = "https://deployer.lab.example:8443";
      description = ''
        A site-wide default deployer URL, appended to the kernel command line as ultracloud.deployer=.
        Leave null to give it at boot time or by DHCP.
      '';
    };
    joinSecretFile = lib.mkOption {
      type = lib.types.nullOr lib.types.path;
      default = null;
      example = lib.literalExpression "/var/lib/deployer/join-secret";
      description = ''
        The cluster join secret (the deployer's <data-dir>/join-secret, or its deployer.bootstrap.join-secret),
        put into the image as /etc/ultracloud/join-secret (0400). It ends up in the image's Nix store, readable
        by anyone with the image: treat the image as a secret. null: no secret in the image; boot with
        ultracloud.join=<secret> on the kernel command line (or run a deployer with open enrollment, labs only).
      '';
    };
    deployerCaCertificate = lib.mkOption {
      type = lib.types.nullOr lib.types.path;
      default = null;
      example = lib.literalExpression "/var/lib/deployer/cluster-ca.pem";
      description = ''
        The cluster CA certificate (the deployer writes it to <data-dir>/cluster-ca.pem), put into the image as
        /etc/ultracloud/deployer-ca.pem: with an https:// deployer URL (the machine-facing port, 8443) the installer
        then trusts only this CA. null: the JDK's default CAs (a deployer behind a publicly trusted proxy).
      '';
    };
    dhcpOption = lib.mkOption {
      type = lib.types.nullOr lib.types.ints.u8;
      default = 224;
      description = ''
        Site-specific DHCP option (string) carrying the deployer URL; dhcpcd writes it to
        ${stateDir}/deployer, used when the kernel command line has no ultracloud.deployer=. null disables it.
      '';
    };
  };

  config = {
    boot.kernelParams = lib.optional (cfg.deployerUrl != null) "ultracloud.deployer=${cfg.deployerUrl}";

    environment.systemPackages = [ installer ] ++ runtimePath;

    # the layouts plans refer to by name (nix/disko/default.nix selects one)
    environment.etc."ultracloud/disko".source = ../disko;

    # what the installer proves itself with, and what it trusts the deployer by (read by `installer run`)
    environment.etc."ultracloud/join-secret" = lib.mkIf (cfg.joinSecretFile != null) {
      source = cfg.joinSecretFile;
      mode = "0400";
    };
    environment.etc."ultracloud/deployer-ca.pem" = lib.mkIf (cfg.deployerCaCertificate != null) {
      source = cfg.deployerCaCertificate;
    };

    systemd.tmpfiles.rules = [ "d ${stateDir} 0755 root root -" ];

    # DHCP-supplied deployer URL (the installation CD uses dhcpcd)
    networking.dhcpcd.extraConfig = lib.optionalString (cfg.dhcpOption != null) ''
      define ${toString cfg.dhcpOption} string ultracloud_deployer
      option ultracloud_deployer
    '';
    networking.dhcpcd.runHook = lib.optionalString (cfg.dhcpOption != null) ''
      if [ -n "''${new_ultracloud_deployer:-}" ]; then
        mkdir -p ${stateDir}
        printf '%s\n' "$new_ultracloud_deployer" > ${stateDir}/deployer
      fi
    '';

    systemd.services.ultracloud-installer = {
      description = "UltraCloud installer: discover, wait for the plan, install";
      wantedBy = [ "multi-user.target" ];
      wants = [ "network-online.target" ];
      after = [ "network-online.target" "systemd-udev-settle.service" ];
      path = runtimePath;
      serviceConfig = {
        Type = "simple";
        Restart = "on-failure";
        RestartSec = 10;
        # progress lines ("machine <id> is <state>; waiting for ...") go to the console as well
        StandardOutput = "journal+console";
        StandardError = "journal+console";
      };
      script = ''
        set -eu
        args=()
        if ! grep -q 'ultracloud.deployer=' /proc/cmdline && [ -s ${stateDir}/deployer ]; then
          args+=(--deployer "$(cat ${stateDir}/deployer)")
        fi
        exec ${installer}/bin/installer run "''${args[@]}"
      '';
    };

    # the console says what the machine is doing: the installer keeps ${stateDir}/status current
    # (machine id, state, what it waits for)
    services.getty.helpLine = ''

      UltraCloud installer. Status: cat ${stateDir}/status   Log: journalctl -fu ultracloud-installer
    '';
    programs.bash.interactiveShellInit = ''
      [ -r ${stateDir}/status ] && cat ${stateDir}/status
    '';

    # rescue access: keys only; the installer writes operator keys from the deployer to
    # ${stateDir}/authorized_keys (rescue instructions), nothing is baked into the image
    services.openssh = {
      enable = true;
      authorizedKeysFiles = [ "${stateDir}/authorized_keys" ];
      settings = {
        PermitRootLogin = lib.mkForce "prohibit-password";
        PasswordAuthentication = false;
        KbdInteractiveAuthentication = false;
      };
    };
    systemd.services.sshd.wantedBy = lib.mkForce [ "multi-user.target" ];
  };
}
