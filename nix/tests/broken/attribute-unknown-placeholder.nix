# expect: installProfiles.standard.attribute: unknown placeholder {host}
import ../lab-with.nix (lab: {
  installProfiles = lab.installProfiles // {
    standard = lab.installProfiles.standard // { attribute = "nixosConfigurations.{host}"; };
  };
})
