export interface SmsMessage {
  to: string;
  text: string;
  template: string;
  userId: string;
}

export interface SmsSender {
  send(message: SmsMessage): Promise<void>;
}
