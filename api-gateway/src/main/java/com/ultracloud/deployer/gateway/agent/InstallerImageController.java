package com.ultracloud.deployer.gateway.agent;

import com.ultracloud.deployer.gateway.problem.NotFoundException;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The installer's netboot kernel and initrd ({@link InstallerImage}), for the nix-agents' kexec directives: on the
 * machine-facing HTTPS port, to a node certificate in force only ({@link NodeCertificateInterceptor}), so the image
 * goes to the cluster's own nodes. Spring serves the file (ranges included).
 */
@RestController
@RequestMapping(produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
class InstallerImageController {

    private final InstallerImage image;

    InstallerImageController(InstallerImage image) {
        this.image = image;
    }

    @GetMapping(DirectiveAnswers.IMAGE_PATH + "/{file}")
    ResponseEntity<Resource> file(@PathVariable String file) {
        return image.file(file)
                .map(path -> ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .<Resource>body(new FileSystemResource(path)))
                .orElseThrow(() -> new NotFoundException("the installer image has no " + file
                        + " (it serves bzImage and initrd of deployer.install.image-directory)", null));
    }
}
