/** The JSON body of every error answer. */
export interface ErrorBody {
  error: string;
  code: string;
  details?: string[];
}
