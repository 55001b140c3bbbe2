# Stand-in for nixpkgs' NixOS modules, for nix/tests only. It declares, with their real names, types
# and defaults, just the options that nix/modules and the disko module define (so a misspelt option
# fails as it would in NixOS), and models the checks of real NixOS that these configurations can trip:
#  - system.build.toplevel throws "Failed assertions: - ..." when an assertion fails
#    (nixos/modules/system/activation/top-level.nix);
#  - a root file system is required (nixos/modules/system/boot/stage-1.nix);
#  - GRUB, enabled by default, needs devices; efiInstallAsRemovable needs efiSupport and no
#    canTouchEfiVariables; devices are "nodev" or absolute (nixos/modules/system/boot/loader/grub/grub.nix).
# toplevel is a fake derivation: evaluating it forces every option value (as building the system would)
# and the assertions. Nothing here builds, boots or checks what only a build would find.
{ config, lib, pkgs, ... }:
let
  inherit (lib) mkOption types;
  option = type: default: mkOption { inherit type default; };
  settings = types.attrsOf types.anything; # systemd unit sections ([Network], [Service], ...)
  strings = option (types.listOf types.str) [ ];
  grub = config.boot.loader.grub;
  failed = map (a: a.message) (lib.filter (a: !a.assertion) config.assertions);
in
{
  options = {
    assertions = option (types.listOf types.unspecified) [ ];

    networking = {
      hostName = option types.str "nixos";
      domain = option (types.nullOr types.str) null;
      useNetworkd = option types.bool false;
      useDHCP = option types.bool true;
    };
    systemd.network = {
      enable = option types.bool false;
      networks = option (types.attrsOf (types.submodule {
        options = {
          enable = option types.bool true;
          matchConfig = option settings { };
          networkConfig = option settings { };
          linkConfig = option settings { };
          address = strings;
          gateway = strings;
          dns = strings;
          domains = option (types.nullOr (types.listOf types.str)) null;
          vlan = strings;
          DHCP = option (types.nullOr (types.enum [ "yes" "no" "ipv4" "ipv6" ])) null;
        };
      })) { };
      netdevs = option (types.attrsOf (types.submodule {
        options = {
          enable = option types.bool true;
          netdevConfig = option settings { };
          vlanConfig = option settings { };
        };
      })) { };
    };
    systemd.services = option (types.attrsOf (types.submodule {
      options = {
        enable = option types.bool true;
        description = option types.str "";
        wantedBy = strings;
        requiredBy = strings;
        after = strings;
        before = strings;
        wants = strings;
        requires = strings;
        path = option (types.listOf (types.either types.package types.str)) [ ];
        environment = option (types.attrsOf types.str) { };
        restartIfChanged = option types.bool true;
        serviceConfig = option settings { };
        script = option types.lines "";
      };
    })) { };
    services.openssh = {
      enable = option types.bool false;
      hostKeys = option (types.listOf (types.attrsOf types.anything)) [
        { type = "rsa"; bits = 4096; path = "/etc/ssh/ssh_host_rsa_key"; }
        { type = "ed25519"; path = "/etc/ssh/ssh_host_ed25519_key"; }
      ];
    };
    users.users = option (types.attrsOf (types.submodule {
      options.openssh.authorizedKeys.keys = strings;
    })) { };
    environment.etc = option (types.attrsOf (types.submodule ({ name, ... }: {
      options = {
        enable = option types.bool true;
        target = option types.str name;
        text = option (types.nullOr types.lines) null;
        source = option (types.nullOr types.path) null;
        mode = option types.str "symlink";
      };
    }))) { };

    boot = {
      kernelParams = strings;
      loader.grub = {
        enable = option types.bool true;
        devices = strings;
        efiSupport = option types.bool false;
        efiInstallAsRemovable = option types.bool false;
      };
      loader.efi.canTouchEfiVariables = option types.bool false;
      swraid.enable = option types.bool false;
    };
    fileSystems = option (types.attrsOf (types.submodule ({ name, ... }: {
      options = {
        mountPoint = option types.str name;
        device = option (types.nullOr types.str) null;
        fsType = option types.str "auto";
        options = option (types.listOf types.str) [ "defaults" ];
        neededForBoot = option types.bool false;
      };
    }))) { };
    swapDevices = option (types.listOf (types.attrsOf types.anything)) [ ];

    nix.package = option types.package pkgs.nix;
    system.build = option (types.lazyAttrsOf types.unspecified) { };
  };

  config = {
    assertions = [{
      assertion = lib.any (fs: fs.mountPoint == "/") (lib.attrValues config.fileSystems);
      message = "The ‘fileSystems’ option does not specify your root file system.";
    }] ++ lib.optionals grub.enable ([
      {
        assertion = grub.devices != [ ];
        message = "You must set the option ‘boot.loader.grub.devices’ or 'boot.loader.grub.mirroredBoots' to make the system bootable.";
      }
      {
        assertion = grub.efiInstallAsRemovable -> grub.efiSupport;
        message = "If you wish to to use boot.loader.grub.efiInstallAsRemovable, then turn on boot.loader.grub.efiSupport";
      }
      {
        assertion = grub.efiInstallAsRemovable -> !config.boot.loader.efi.canTouchEfiVariables;
        message = "If you wish to to use boot.loader.grub.efiInstallAsRemovable, then turn off boot.loader.efi.canTouchEfiVariables";
      }
    ] ++ map
      (device: {
        assertion = device == "nodev" || lib.hasPrefix "/" device;
        message = "GRUB devices must be absolute paths, not ${device} in /boot";
      })
      grub.devices);

    system.build.toplevel =
      if failed != [ ] then throw "\nFailed assertions:\n${lib.concatStringsSep "\n" (map (m: "- ${m}") failed)}"
      else builtins.deepSeq (removeAttrs config [ "system" ]) (import ./derivation.nix "nixos-system-${config.networking.hostName}");
  };
}
