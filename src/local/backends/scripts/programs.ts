/**
 * The programs the demo coder writes and the demo reviewer reviews: one row per
 * topic, shared by the `coder` and `reviewer` scripts so the change the
 * reviewer asks for is the change the coder's second version makes (input
 * validation that raises `ValueError`).
 *
 * `{{tool_result}}` in `v1WithResult` is the calculator's answer to `expression`.
 */

/** One program of the demo: how the task is recognised, its two versions, and the review. */
export interface DemoProgram {
  /** Pattern on the task (the last user message) that selects this program; "" matches any task. */
  topic: string;
  /** The Python function the program defines; the reviewer recognises the program by it. */
  functionName: string;
  /** The arithmetic the coder asks the calculator for. */
  expression: string;
  /** Pattern a calculator result must match to be pasted into the code (else `v1` is used). */
  resultPattern: string;
  /** First version, with `{{tool_result}}` where the computed constant goes. */
  v1WithResult: string;
  /** First version with the constant written out (no or unusable tool result). */
  v1: string;
  /** Second version: the reviewer's requested change applied. */
  v2: string;
  /** The one change the reviewer requests for the first version. */
  reviewComment: string;
  /** What the coder thinks before calling the calculator. */
  reasoning: string;
}

function python(code: string): string {
  return `\`\`\`python\n${code.trim()}\n\`\`\``;
}

const temperatureBody = (factor: string, validated: boolean): string => `
${validated ? "ABSOLUTE_ZERO_CELSIUS: float = -273.15\n" : ""}FAHRENHEIT_PER_CELSIUS: float = ${factor}  # 9 / 5
FREEZING_POINT_FAHRENHEIT: float = 32.0


def celsius_to_fahrenheit(celsius: float) -> float:
    """Convert a temperature from degrees Celsius to degrees Fahrenheit.

    Args:
        celsius: Temperature in degrees Celsius${validated ? "; must not be below absolute zero" : ""}.

    Returns:
        The same temperature in degrees Fahrenheit.${
          validated
            ? `

    Raises:
        ValueError: If \`\`celsius\`\` is below absolute zero (-273.15 °C).`
            : ""
        }
    """
${
  validated
    ? `    if celsius < ABSOLUTE_ZERO_CELSIUS:
        raise ValueError(f"{celsius} °C is below absolute zero ({ABSOLUTE_ZERO_CELSIUS} °C)")
`
    : ""
}    return celsius * FAHRENHEIT_PER_CELSIUS + FREEZING_POINT_FAHRENHEIT
`;

const durationBody = (perHour: string, validated: boolean): string => `
SECONDS_PER_HOUR: int = ${perHour}  # 60 * 60
SECONDS_PER_MINUTE: int = 60


def format_duration(total_seconds: int) -> str:
    """Format a duration given in seconds as \`\`H:MM:SS\`\`.

    Args:
        total_seconds: The duration in whole seconds${validated ? "; must not be negative" : ""}.

    Returns:
        The duration as hours, minutes and seconds, e.g. \`\`"1:01:05"\`\` for 3665.${
          validated
            ? `

    Raises:
        ValueError: If \`\`total_seconds\`\` is negative.`
            : ""
        }
    """
${
  validated
    ? `    if total_seconds < 0:
        raise ValueError(f"duration must not be negative, got {total_seconds}")
`
    : ""
}    hours, remainder = divmod(total_seconds, SECONDS_PER_HOUR)
    minutes, seconds = divmod(remainder, SECONDS_PER_MINUTE)
    return f"{hours}:{minutes:02d}:{seconds:02d}"
`;

/** The programs, most specific topic first; the last one (topic "") serves any other task. */
export const demoPrograms: readonly DemoProgram[] = [
  {
    topic: "celsius|fahrenheit|temperature",
    functionName: "celsius_to_fahrenheit",
    expression: "9 / 5",
    resultPattern: "^\\s*\\d+(\\.\\d+)?\\s*$",
    v1WithResult: python(temperatureBody("{{tool_result}}", false)),
    v1: python(temperatureBody("1.8", false)),
    v2: python(temperatureBody("1.8", true)),
    reviewComment:
      "Validate the input: raise ValueError for temperatures below absolute zero (-273.15 °C) " +
      "instead of returning a physically impossible result.",
    reasoning:
      "The conversion needs the factor 9 / 5. I will compute it with the calculator tool first.",
  },
  {
    topic: "",
    functionName: "format_duration",
    expression: "60 * 60",
    resultPattern: "^\\s*\\d+\\s*$",
    v1WithResult: python(durationBody("{{tool_result}}", false)),
    v1: python(durationBody("3600", false)),
    v2: python(durationBody("3600", true)),
    reviewComment:
      "Validate the input: raise ValueError for a negative total_seconds; " +
      'divmod silently turns -1 into "-1:59:59".',
    reasoning:
      "I will write a duration formatter. It needs the number of seconds in an hour, 60 * 60; " +
      "I will compute it with the calculator tool first.",
  },
];
