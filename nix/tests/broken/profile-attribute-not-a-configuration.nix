# expect: installProfiles.standard.attribute: nixos-install can only install nixosConfigurations.<name>, got "nixosConfigurations.{hostname}.config.system.build.toplevel"
import ../lab-with.nix (lab: {
  installProfiles = lab.installProfiles // {
    standard = lab.installProfiles.standard // { attribute = "nixosConfigurations.{hostname}.config.system.build.toplevel"; };
  };
})
