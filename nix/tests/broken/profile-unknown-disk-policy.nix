# expect: installProfiles.standard.diskPolicy: unknown disk policy "nvme"
import ../lab-with.nix (lab: {
  installProfiles = lab.installProfiles // {
    standard = lab.installProfiles.standard // { diskPolicy = "nvme"; };
  };
})
