package dev.completions.snippets;

import dev.completions.api.CompletionRequest;
import dev.completions.api.ContentPart;
import dev.completions.api.Message;
import dev.completions.registry.ProviderRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The README's image request: a local file sent inline and an image at a URL, in one user message.
 */
public final class DescribeAnImage {
  private DescribeAnImage() {}

  public static void main(String[] args) throws IOException {
    try (ProviderRegistry registry = ProviderRegistry.load()) {
      byte[] photo = Files.readAllBytes(Path.of(args[0]));
      CompletionRequest request =
          CompletionRequest.builder()
              .message(
                  Message.user(
                      "What differs between these two pictures?",
                      ContentPart.image(photo, "image/jpeg"),
                      ContentPart.image(
                          URI.create(
                              "https://upload.wikimedia.org/wikipedia/commons/a/a7/Camponotus_flavomarginatus_ant.jpg"))))
              .build();
      registry.get("openai").complete(request).forEach(System.out::print); // needs image_input
    }
  }
}
